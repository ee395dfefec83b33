using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Monodepth2.Onnx;

namespace Monodepth2.MLNet.Transforms;

/// <summary>
/// The stock ML.NET transforms that score depth, so that a fitted model saves and loads with ML.NET alone:
/// ResizeImages to the network size, ExtractPixels (planar RGB in [0, 1]), ApplyOnnxModel (the exported depth
/// network with disparity scaling, optional output resize and depth = scale / disparity), then renaming to the
/// requested columns and dropping the temporary ones.
/// </summary>
internal static class DepthPipeline
{
    public static IEstimator<ITransformer> Create(TransformsCatalog ml, string output, string input, string? disparity, int width, int height,
        string onnxFile, DepthScoringOptions options)
    {
        var resized = ReservedColumns.TempPrefix + "resized";
        var outputs = new List<string> { DepthOnnxExporter.DepthOutput };
        if (disparity is not null)
        {
            outputs.Add(DepthOnnxExporter.DisparityOutput);
        }

        IEstimator<ITransformer> chain = ml.ResizeImages(resized, width, height, input, options.Resizing)
            .Append(ml.ExtractPixels(DepthOnnxExporter.InputName, resized, ImagePixelExtractingEstimator.ColorBits.Rgb,
                ImagePixelExtractingEstimator.ColorsOrder.ARGB, interleavePixelColors: false, scaleImage: 1f / 255))
            .Append(ml.ApplyOnnxModel(outputs.ToArray(), [DepthOnnxExporter.InputName], onnxFile,
                options.GpuDeviceId, options.FallbackToCpu));
        return Finish(ml, chain, [(output, DepthOnnxExporter.DepthOutput), (disparity, DepthOnnxExporter.DisparityOutput)],
            [resized, DepthOnnxExporter.InputName, .. outputs]);
    }

    /// <summary>
    /// The output schema shape without a model: float vectors (of unknown size to <see cref="SchemaShape"/>) under the
    /// requested names, computed with stock transforms so that the input column's type is checked as ML.NET does.
    /// </summary>
    public static SchemaShape OutputShape(TransformsCatalog ml, SchemaShape input, string inputColumn, params string?[] vectorColumns)
    {
        var resized = ReservedColumns.TempPrefix + "resized";
        IEstimator<ITransformer> chain = ml.ResizeImages(resized, 32, 32, inputColumn);
        foreach (var name in vectorColumns.OfType<string>())
        {
            chain = chain.Append(ml.ExtractPixels(name, resized));
        }

        return chain.Append(ml.DropColumns(resized)).GetOutputSchema(input);
    }

    /// <summary>Fits the stock estimators and returns them as one chain of transformers.</summary>
    public static TransformerChain<ITransformer> Fit(IEstimator<ITransformer> estimator, IDataView input)
    {
        var fitted = estimator.Fit(input);
        return fitted is IEnumerable<ITransformer> parts ? new TransformerChain<ITransformer>(parts.ToArray()) : new TransformerChain<ITransformer>(fitted);
    }

    /// <summary>
    /// Writes the ONNX model to a file (<see cref="OnnxModelFile"/>), fits the estimator that <paramref name="create"/> makes
    /// for that file and wraps the chain in a transformer that owns the file; deletes the file when anything fails.
    /// </summary>
    public static T FitOwning<T>(TransformsCatalog ml, byte[] onnx, Func<string, IEstimator<ITransformer>> create, IDataView input,
        Func<TransformerChain<ITransformer>, OnnxModelFile, T> wrap)
    {
        var file = OnnxModelFile.Write(ml, onnx);
        try
        {
            return wrap(Fit(create(file.Path), input), file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Copies each internal output to its requested name and drops the internal columns not requested.</summary>
    public static IEstimator<ITransformer> Finish(TransformsCatalog ml, IEstimator<ITransformer> chain, (string? Wanted, string Internal)[] renames, string[] temporaries)
    {
        foreach (var (wanted, name) in renames.Where(r => r.Wanted is not null && r.Wanted != r.Internal))
        {
            chain = chain.Append(ml.CopyColumns(wanted!, name));
        }

        var keep = renames.Where(r => r.Wanted is not null).Select(r => r.Wanted!).ToHashSet(StringComparer.Ordinal);
        var drop = temporaries.Where(t => !keep.Contains(t)).ToArray();
        return chain.Append(ml.DropColumns(drop));
    }
}
