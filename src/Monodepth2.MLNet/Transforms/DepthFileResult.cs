namespace Monodepth2.MLNet.Transforms;

/// <summary>The depth of one image file, or why there is none.</summary>
/// <param name="Path">The file.</param>
/// <param name="Depth">Depth [OutputHeight x OutputWidth], row-major; empty when <paramref name="Error"/> is set.</param>
/// <param name="Disparity">Disparity when the transform outputs it, else empty.</param>
/// <param name="Error">Why the file could not be scored (it names the file); null on success.</param>
public sealed record DepthFileResult(string Path, float[] Depth, float[] Disparity, string? Error)
{
    /// <summary>Whether the file was scored.</summary>
    public bool Succeeded => Error is null;
}
