namespace Monodepth2.Data;

/// <summary>A depth map in metres, row major [H, W], 0 = no measurement (e.g. KITTI projected LiDAR ground truth).</summary>
/// <param name="Depth">Values, length <paramref name="Width"/> x <paramref name="Height"/>.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
public sealed record DepthMap(float[] Depth, int Width, int Height)
{
    /// <summary>The map mirrored left to right.</summary>
    public DepthMap FlipHorizontal()
    {
        var result = new float[Depth.Length];
        for (var y = 0; y < Height; y++)
        {
            var row = y * Width;
            for (var x = 0; x < Width; x++)
            {
                result[row + x] = Depth[row + Width - 1 - x];
            }
        }

        return new DepthMap(result, Width, Height);
    }
}
