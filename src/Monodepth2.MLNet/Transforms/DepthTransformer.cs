using Microsoft.ML;
using Microsoft.ML.Data;
using Monodepth2.MLNet.Data;
using Monodepth2.Onnx;
using Monodepth2.Training;
using Monodepth2.Weights;

namespace Monodepth2.MLNet.Transforms;

/// <summary>
/// A fitted depth transform: adds a depth column (float vector [1, 1, <see cref="OutputHeight"/>, <see cref="OutputWidth"/>],
/// and the disparity when asked) to any data with the image column. It is made of stock ML.NET transforms with the depth
/// network inside as ONNX, so <c>mlContext.Model.Save</c> writes it and <c>mlContext.Model.Load</c> reads it back in a
/// program that references only ML.NET (ImageAnalytics, OnnxTransformer) and an ONNX Runtime package.
/// Its ONNX model (<see cref="OnnxChainTransformer.GetOnnxModel"/>): input "image" [1, 3, H, W] RGB in [0, 1]; outputs
/// "disparity" and "depth".
/// </summary>
public sealed class DepthTransformer : OnnxChainTransformer
{
    internal DepthTransformer(TransformerChain<ITransformer> chain, string outputColumnName, string inputColumnName, string? disparityColumnName,
        ModelInfo model, int outputWidth, int outputHeight, byte[] onnx, OnnxModelFile file, string? modelFolder,
        TrainingResult? training)
        : base(chain, onnx, file)
    {
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        DisparityColumnName = disparityColumnName;
        InputWidth = model.Width;
        InputHeight = model.Height;
        IsStereo = model.UseStereo;
        OutputWidth = outputWidth;
        OutputHeight = outputHeight;
        Model = model;
        MinDepth = model.MinDepth;
        MaxDepth = model.MaxDepth;
        DepthScale = model.DepthScale;
        ModelFolder = modelFolder;
        Training = training;
    }

    /// <summary>The depth column added.</summary>
    public string OutputColumnName { get; }

    /// <summary>The image column read.</summary>
    public string InputColumnName { get; }

    /// <summary>The disparity column added, or null.</summary>
    public string? DisparityColumnName { get; }

    /// <summary>The model's description (from its folder): input size, depth range, modality, architecture.</summary>
    public ModelInfo Model { get; }

    /// <summary>Network input width: images are resized to it.</summary>
    public int InputWidth { get; }

    /// <summary>Network input height.</summary>
    public int InputHeight { get; }

    /// <summary>Width of the depth map.</summary>
    public int OutputWidth { get; }

    /// <summary>Height of the depth map.</summary>
    public int OutputHeight { get; }

    /// <summary>Minimum depth of the disparity mapping (before <see cref="DepthScale"/>).</summary>
    public double MinDepth { get; }

    /// <summary>Maximum depth of the disparity mapping (before <see cref="DepthScale"/>).</summary>
    public double MaxDepth { get; }

    /// <summary>Trained with stereo pairs.</summary>
    public bool IsStereo { get; }

    /// <summary>
    /// Whether depth is in metres (<see cref="ModelInfo.Metric"/>): true for stereo-trained models (depth = 5.4 / disparity,
    /// KITTI's 0.54 m baseline over the 0.1 used in training) and velocity-supervised ones (depth = 1 / disparity); other
    /// monocular models give depth up to an unknown scale (median-scale to compare).
    /// </summary>
    public bool IsMetric => Model.Metric;

    /// <summary>The factor in depth = factor / disparity (5.4 for stereo models, 1 for monocular ones).</summary>
    public double DepthScale { get; }

    /// <summary>The model folder (reference format: encoder.pth, depth.pth, pose_encoder.pth, pose.pth), when there is one.</summary>
    public string? ModelFolder { get; }

    /// <summary>What training did, when this transform was fitted by training.</summary>
    public TrainingResult? Training { get; }

    /// <summary>Vector shape of the depth column: [1, 1, OutputHeight, OutputWidth].</summary>
    public IReadOnlyList<int> OutputShape => [1, 1, OutputHeight, OutputWidth];

    /// <summary>
    /// Scores image files one at a time, reading each with <see cref="ImageFileLoader"/> (clear errors naming the file,
    /// truncated JPEGs detected). A bad file throws, or with <paramref name="skipBadImages"/> yields a result with its
    /// <see cref="DepthFileResult.Error"/> and scoring goes on, so results already produced are never lost.
    /// </summary>
    /// <exception cref="InvalidDataException">A file is bad and <paramref name="skipBadImages"/> is false.</exception>
    /// <exception cref="FileNotFoundException">A file is missing and <paramref name="skipBadImages"/> is false.</exception>
    public IEnumerable<DepthFileResult> PredictFiles(IEnumerable<string> paths, bool skipBadImages = false)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var ml = new MLContext();
        var inputDefinition = SchemaDefinition.Create(typeof(ImageInput));
        inputDefinition[0].ColumnName = InputColumnName;
        var outputDefinition = SchemaDefinition.Create(typeof(DepthOutput), SchemaDefinition.Direction.Write);
        outputDefinition[nameof(DepthOutput.Depth)].ColumnName = OutputColumnName;
        if (DisparityColumnName is null)
        {
            outputDefinition = SchemaDefinition.Create(typeof(DepthOnlyOutput), SchemaDefinition.Direction.Write);
            outputDefinition[nameof(DepthOnlyOutput.Depth)].ColumnName = OutputColumnName;
        }
        else
        {
            outputDefinition[nameof(DepthOutput.Disparity)].ColumnName = DisparityColumnName;
        }

        return DisparityColumnName is null
            ? Score(ml.Model.CreatePredictionEngine<ImageInput, DepthOnlyOutput>(this, new PredictionEngineOptions { OwnsTransformer = false, InputSchemaDefinition = inputDefinition, OutputSchemaDefinition = outputDefinition }),
                o => (o.Depth, []), paths, skipBadImages)
            : Score(ml.Model.CreatePredictionEngine<ImageInput, DepthOutput>(this, new PredictionEngineOptions { OwnsTransformer = false, InputSchemaDefinition = inputDefinition, OutputSchemaDefinition = outputDefinition }),
                o => (o.Depth, o.Disparity), paths, skipBadImages);
    }

    private static IEnumerable<DepthFileResult> Score<TOut>(PredictionEngine<ImageInput, TOut> engine, Func<TOut, (float[], float[])> read,
        IEnumerable<string> paths, bool skip)
        where TOut : class, new()
    {
        using (engine)
        {
            foreach (var path in paths)
            {
                MLImage? image = null;
                string? error = null;
                try
                {
                    image = ImageFileLoader.Load(path);
                }
                catch (Exception ex) when (skip && ex is IOException or InvalidDataException)
                {
                    // FileNotFoundException is an IOException: both name the file.
                    error = ex.Message;
                }

                if (image is null)
                {
                    yield return new DepthFileResult(path, [], [], error);
                    continue;
                }

                using (image)
                {
                    var (depth, disparity) = read(engine.Predict(new ImageInput { Image = image }));
                    yield return new DepthFileResult(path, (float[])depth.Clone(), (float[])disparity.Clone(), null);
                }
            }
        }
    }

    private sealed class ImageInput
    {
        // ML.NET cannot register a size-less image type from the attribute (it throws for 0 x 0), and an image column
        // must carry a registered type; the declared size is only a label: ResizeImages reads each image's own size.
        [Microsoft.ML.Transforms.Image.ImageType(1, 1)]
        public MLImage Image { get; set; } = null!;
    }

    private sealed class DepthOnlyOutput
    {
        public float[] Depth { get; set; } = [];
    }

    private sealed class DepthOutput
    {
        public float[] Depth { get; set; } = [];

        public float[] Disparity { get; set; } = [];
    }

    /// <inheritdoc/>
    private protected override void CheckInput(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        FrameColumns.RequireImage(schema, InputColumnName);
    }

    internal static void CheckNames(string output, string input, string? disparity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(output);
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        string[] reserved = [DepthOnnxExporter.InputName, DepthOnnxExporter.DisparityOutput, DepthOnnxExporter.DepthOutput];
        ReservedColumns.Check(input, "input image", reserved);
        if (output != DepthOnnxExporter.DepthOutput)
        {
            ReservedColumns.Check(output, "depth output", reserved);
        }

        if (disparity is not null && disparity != DepthOnnxExporter.DisparityOutput)
        {
            ReservedColumns.Check(disparity, "disparity output", reserved);
        }

        if (disparity == output)
        {
            throw new ArgumentException($"The depth and disparity columns need different names (both '{output}').", nameof(disparity));
        }
    }
}
