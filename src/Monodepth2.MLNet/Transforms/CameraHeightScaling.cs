using Microsoft.ML;
using Microsoft.ML.Data;
using Monodepth2.Geometry;

namespace Monodepth2.MLNet.Transforms;

/// <summary>
/// Camera-height scaling for scored ML.NET data, on the library side: a saved depth model is a chain of stock ML.NET
/// transforms around an ONNX network, loadable with ML.NET alone, and a RANSAC plane fit cannot be part of it. Score with
/// the transform (fitted or loaded with <c>mlContext.Model.Load</c>), then pass the scored data here: each row's depth is
/// rescaled so that the road plane fitted in its lower part lies at <see cref="GroundPlaneOptions.CameraHeight"/>
/// (<see cref="GroundPlane.Fit"/>). The intrinsics must describe the depth map as scored: with the default
/// <c>Fill</c> resizing normalised intrinsics hold at any output size; with IsoPad / IsoCrop they do not.
/// </summary>
public static class CameraHeightScaling
{
    /// <summary>Rescales the depth column of data scored by <paramref name="transformer"/> (its column name and output size).</summary>
    /// <exception cref="ArgumentException">The column is missing or is not a float vector of OutputWidth x OutputHeight values.</exception>
    public static IEnumerable<CameraHeightDepth> ScaleByCameraHeight(this DepthTransformer transformer, IDataView scored, GroundPlaneOptions options)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        return ScaleDepthColumn(scored, transformer.OutputColumnName, transformer.OutputWidth, transformer.OutputHeight, options);
    }

    /// <summary>
    /// Rescales a depth column of <paramref name="width"/> x <paramref name="height"/> floats per row (row major, as the
    /// depth transform writes it, e.g. from a loaded saved model), lazily, one row at a time, in row order.
    /// </summary>
    /// <exception cref="ArgumentException">The column is missing or is not a float vector of width x height values, or the options are invalid.</exception>
    public static IEnumerable<CameraHeightDepth> ScaleDepthColumn(IDataView scored, string depthColumn, int width, int height, GroundPlaneOptions options)
    {
        ArgumentNullException.ThrowIfNull(scored);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (scored.Schema.GetColumnOrNull(depthColumn) is not { } column)
        {
            throw new ArgumentException($"The data has no column '{depthColumn}'; columns: {string.Join(", ", scored.Schema.Select(c => c.Name))}.", nameof(depthColumn));
        }

        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType } vector || vector.ItemType.RawType != typeof(float) || vector.Size != width * height)
        {
            throw new ArgumentException($"Column '{depthColumn}' is {column.Type}; expected a float vector of {width} x {height} = {width * height} values.", nameof(depthColumn));
        }

        return scored.GetColumn<float[]>(depthColumn).Select(depth =>
        {
            var fit = GroundPlane.Fit(depth, width, height, options);
            return new CameraHeightDepth(fit.Apply(depth), fit);
        });
    }
}
