using Microsoft.ML;
using Microsoft.ML.Data;
using Monodepth2.MLNet.Data;
using Monodepth2.Weights;

namespace Monodepth2.MLNet.Transforms;

/// <summary>
/// A fitted ego-motion transform: adds the 4x4 camera transform (float vector [1, 4, 4], row-major) from the first image
/// column's camera to the second's. Made of stock ML.NET transforms with the pose network as ONNX, so it saves and
/// loads with ML.NET alone.
/// </summary>
public sealed class EgoMotionTransformer : ITransformer, ICanSaveModel, IDisposable
{
    private readonly TransformerChain<ITransformer> chain;
    private readonly byte[] onnx;

    internal EgoMotionTransformer(TransformerChain<ITransformer> chain, string output, string first, string second, ModelInfo model, string modelFolder, byte[] onnx)
    {
        this.chain = chain;
        this.onnx = onnx;
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
    public bool IsRowToRowMapper => true;

    /// <summary>The pose network as a stand-alone ONNX model (inputs "frame0", "frame1"; outputs "axisangle", "translation", "transform").</summary>
    public byte[] GetOnnxModel() => (byte[])onnx.Clone();

    /// <summary>Writes <see cref="GetOnnxModel"/> to a file (atomically).</summary>
    public void SaveOnnx(string path) => AtomicFile.Write(path, s => s.Write(onnx));

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        Check(inputSchema);
        return chain.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        Check(inputSchema);
        return ((ITransformer)chain).GetRowToRowMapper(inputSchema);
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Check(input.Schema);
        return chain.Transform(input);
    }

    /// <summary>Saves the stock transforms this transform is made of.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)chain).Save(ctx);

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => chain.Dispose();

    private void Check(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        FrameColumns.RequireImage(schema, FirstImageColumnName, "first image");
        FrameColumns.RequireImage(schema, SecondImageColumnName, "second image");
    }
}
