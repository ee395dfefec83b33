using Microsoft.ML;
using Microsoft.ML.Data;
using Monodepth2.MLNet.Data;
using Monodepth2.Weights;

namespace Monodepth2.MLNet.Transforms;

/// <summary>
/// A fitted ego-motion transform: adds the 4x4 camera transform (float vector [1, 4, 4], row-major) from the first image
/// column's camera to the second's. Made of stock ML.NET transforms with the pose network as ONNX, so it saves and
/// loads with ML.NET alone. Its ONNX model (<see cref="OnnxChainTransformer.GetOnnxModel"/>): inputs "frame0", "frame1";
/// outputs "axisangle", "translation", "transform".
/// </summary>
public sealed class EgoMotionTransformer : OnnxChainTransformer
{
    internal EgoMotionTransformer(TransformerChain<ITransformer> chain, string output, string first, string second, ModelInfo model, string modelFolder, byte[] onnx, OnnxModelFile file)
        : base(chain, onnx, file)
    {
        OutputColumnName = output;
        FirstImageColumnName = first;
        SecondImageColumnName = second;
        InputWidth = model.Width;
        InputHeight = model.Height;
        IsStereo = model.UseStereo;
        ModelFolder = modelFolder;
    }

    /// <summary>The transform column added.</summary>
    public string OutputColumnName { get; }

    /// <summary>The earlier frame's column.</summary>
    public string FirstImageColumnName { get; }

    /// <summary>The later frame's column.</summary>
    public string SecondImageColumnName { get; }

    /// <summary>Network input width.</summary>
    public int InputWidth { get; }

    /// <summary>Network input height.</summary>
    public int InputHeight { get; }

    /// <summary>Trained with stereo pairs: translations are metric after x5.4.</summary>
    public bool IsStereo { get; }

    /// <summary>The model folder.</summary>
    public string ModelFolder { get; }

    /// <inheritdoc/>
    private protected override void CheckInput(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        FrameColumns.RequireImage(schema, FirstImageColumnName, "first image");
        FrameColumns.RequireImage(schema, SecondImageColumnName, "second image");
    }
}
