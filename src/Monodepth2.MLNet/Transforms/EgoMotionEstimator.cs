using Microsoft.ML;
using Microsoft.ML.Transforms.Image;
using Monodepth2.MLNet.Data;
using Monodepth2.Onnx;
using Monodepth2.Weights;

namespace Monodepth2.MLNet.Transforms;

/// <summary>The <c>EstimateEgoMotion</c> estimator: prepares pose scoring from a model folder (no training).</summary>
public sealed class EgoMotionEstimator : IEstimator<EgoMotionTransformer>
{
    private readonly TransformsCatalog ml;
    private readonly string output;
    private readonly string first;
    private readonly string second;
    private readonly string modelFolder;
    private readonly EgoMotionOptions options;

    internal EgoMotionEstimator(TransformsCatalog ml, string output, string first, string second, string modelFolder, EgoMotionOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(output);
        ArgumentException.ThrowIfNullOrWhiteSpace(first);
        ArgumentException.ThrowIfNullOrWhiteSpace(second);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelFolder);
        string[] reserved = [PoseOnnxExporter.FirstInput, PoseOnnxExporter.SecondInput, PoseOnnxExporter.AxisAngleOutput, PoseOnnxExporter.TranslationOutput, PoseOnnxExporter.TransformOutput];
        ReservedColumns.Check(first, "first image", reserved);
        ReservedColumns.Check(second, "second image", reserved);
        foreach (var (name, role, own) in new[]
                 {
                     ((string?)output, "transform output", PoseOnnxExporter.TransformOutput),
                     (options.AxisAngleColumnName, "axis-angle output", PoseOnnxExporter.AxisAngleOutput),
                     (options.TranslationColumnName, "translation output", PoseOnnxExporter.TranslationOutput),
                 })
        {
            if (name is not null && name != own)
            {
                ReservedColumns.Check(name, role, reserved);
            }
        }

        if (!Directory.Exists(modelFolder))
        {
            throw new DirectoryNotFoundException($"{modelFolder}: model folder not found.");
        }

        this.ml = ml;
        this.output = output;
        this.first = first;
        this.second = second;
        this.modelFolder = Path.GetFullPath(modelFolder);
        this.options = options;
    }

    /// <summary>Loads the pose network, exports it to ONNX and returns the fitted transform.</summary>
    public EgoMotionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        FrameColumns.RequireImage(input.Schema, first, "first image");
        FrameColumns.RequireImage(input.Schema, second, "second image");
        TorchRuntime.EnsureLoaded();
        using var model = ModelFolder.Load(modelFolder, withPose: true);
        var info = model.Info;
        if (!info.HasPose)
        {
            throw new FileNotFoundException($"{Path.Combine(modelFolder, "pose.pth")}: the model folder has no pose network.", Path.Combine(modelFolder, "pose.pth"));
        }

        var onnx = PoseOnnxExporter.Export(model.Networks, info, batchSize: 1);
        var r0 = ReservedColumns.TempPrefix + "resized0";
        var r1 = ReservedColumns.TempPrefix + "resized1";
        var outputs = new List<string> { PoseOnnxExporter.TransformOutput };
        if (options.AxisAngleColumnName is not null)
        {
            outputs.Add(PoseOnnxExporter.AxisAngleOutput);
        }

        if (options.TranslationColumnName is not null)
        {
            outputs.Add(PoseOnnxExporter.TranslationOutput);
        }

        return DepthPipeline.FitOwning(ml, onnx, file =>
        {
            IEstimator<ITransformer> chain = ml.ResizeImages(r0, info.Width, info.Height, first, options.Resizing)
                .Append(ml.ResizeImages(r1, info.Width, info.Height, second, options.Resizing))
                .Append(ml.ExtractPixels(PoseOnnxExporter.FirstInput, r0, ImagePixelExtractingEstimator.ColorBits.Rgb, ImagePixelExtractingEstimator.ColorsOrder.ARGB,
                    interleavePixelColors: false, scaleImage: 1f / 255))
                .Append(ml.ExtractPixels(PoseOnnxExporter.SecondInput, r1, ImagePixelExtractingEstimator.ColorBits.Rgb, ImagePixelExtractingEstimator.ColorsOrder.ARGB,
                    interleavePixelColors: false, scaleImage: 1f / 255))
                .Append(ml.ApplyOnnxModel(outputs.ToArray(), [PoseOnnxExporter.FirstInput, PoseOnnxExporter.SecondInput], file,
                    options.GpuDeviceId, options.FallbackToCpu));
            return DepthPipeline.Finish(ml, chain,
                [(output, PoseOnnxExporter.TransformOutput), (options.AxisAngleColumnName, PoseOnnxExporter.AxisAngleOutput), (options.TranslationColumnName, PoseOnnxExporter.TranslationOutput)],
                [r0, r1, PoseOnnxExporter.FirstInput, PoseOnnxExporter.SecondInput, .. outputs]);
        }, input, (chain, file) => new EgoMotionTransformer(chain, output, first, second, info, modelFolder, onnx, file));
    }

    /// <summary>The input's columns plus the transform (and axis-angle, translation) float vectors.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var shape = DepthPipeline.OutputShape(ml, inputSchema, second, []);
        return DepthPipeline.OutputShape(ml, shape, first, output, options.AxisAngleColumnName, options.TranslationColumnName);
    }
}
