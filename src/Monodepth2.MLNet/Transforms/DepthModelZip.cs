using Microsoft.ML;
using Microsoft.ML.Data;
using Monodepth2.Weights;

namespace Monodepth2.MLNet.Transforms;

/// <summary>
/// Writes a model folder as an ML.NET model zip that scores image files: <c>LoadImages</c> (a text column of paths)
/// then <see cref="DepthCatalog"/>'s <c>EstimateDepth</c>, all stock transforms. Load it with <c>mlContext.Model.Load</c>
/// in any program that references ML.NET, ImageAnalytics, OnnxTransformer and an ONNX Runtime package.
/// </summary>
public static class DepthModelZip
{
    /// <summary>Default input column: image file paths (absolute, or relative to the working directory).</summary>
    public const string PathColumn = "Path";

    /// <summary>Default output column: depth [1, 1, H, W].</summary>
    public const string DepthColumn = "Depth";

    /// <summary>Writes the zip (atomically) and returns the fitted transform's description.</summary>
    /// <param name="modelFolder">The model folder.</param>
    /// <param name="zipPath">The zip to write.</param>
    /// <param name="options">Scoring options (output size, disparity column, resizing).</param>
    /// <param name="pathColumn">Input column name.</param>
    /// <param name="depthColumn">Output column name.</param>
    public static DepthModelSummary Save(string modelFolder, string zipPath, DepthScoringOptions? options = null, string pathColumn = PathColumn, string depthColumn = DepthColumn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(zipPath);
        var ml = new MLContext();
        var empty = ml.Data.LoadFromEnumerable(new List<PathRow>(), SchemaFor(pathColumn));
        var image = pathColumn == "Image" ? "ImageData" : "Image";
        using var fitted = ml.Transforms.LoadImages(image, null, pathColumn)
            .Append(ml.Transforms.EstimateDepth(depthColumn, image, modelFolder, options))
            .Fit(empty);
        AtomicFile.Write(zipPath, stream => ml.Model.Save(fitted, empty.Schema, stream));

        var depth = fitted.LastTransformer;
        return new DepthModelSummary(depth.InputWidth, depth.InputHeight, depth.OutputWidth, depth.OutputHeight, depth.IsStereo);
    }

    private static SchemaDefinition SchemaFor(string pathColumn)
    {
        var definition = SchemaDefinition.Create(typeof(PathRow));
        definition[0].ColumnName = pathColumn;
        return definition;
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = string.Empty;
    }
}

/// <summary>What an exported depth model does.</summary>
/// <param name="InputWidth">Network input width.</param>
/// <param name="InputHeight">Network input height.</param>
/// <param name="OutputWidth">Depth map width.</param>
/// <param name="OutputHeight">Depth map height.</param>
/// <param name="IsStereo">Stereo-trained: depth in metres.</param>
public sealed record DepthModelSummary(int InputWidth, int InputHeight, int OutputWidth, int OutputHeight, bool IsStereo);
