namespace Monodepth2.Geometry;

/// <summary>
/// The stereo baselines of Monodepth2: training warps between the two cameras of a pair as if they were
/// <see cref="Training"/> apart (the reference's <c>stereo_T</c>), so a stereo-trained model's depth becomes metric
/// after multiplying by <see cref="Kitti"/> / <see cref="Training"/> = <see cref="ScaleFactor"/>.
/// </summary>
public static class StereoBaseline
{
    /// <summary>The baseline used in training, 0.1 (units of the model's depth).</summary>
    public const double Training = 0.1;

    /// <summary>KITTI's real stereo baseline in metres, 0.54.</summary>
    public const double Kitti = 0.54;

    /// <summary>
    /// <see cref="Kitti"/> / <see cref="Training"/>, written as the reference's literal 5.4 (the division gives
    /// 5.3999999999999995 in floating point).
    /// </summary>
    public const double ScaleFactor = 5.4;
}
