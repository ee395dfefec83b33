namespace Monodepth2.Geometry;

/// <summary>
/// Settings of <see cref="GroundPlane.Fit"/>: the camera's height above a flat road, the intrinsics of the depth map,
/// the image region searched and the robust-fit thresholds. The defaults suit KITTI-like forward-facing road cameras.
/// </summary>
public sealed record GroundPlaneOptions
{
    /// <summary>KITTI's colour cameras stand 1.65 m above the road (the synthetic world uses the same by default).</summary>
    public const double KittiCameraHeight = 1.65;

    /// <summary>The camera centre's height above the road in metres (default <see cref="KittiCameraHeight"/>).</summary>
    public double CameraHeight { get; init; } = KittiCameraHeight;

    /// <summary>Normalised intrinsics of the depth map (default <see cref="Intrinsics.Kitti"/>); the map must not be cropped relative to them.</summary>
    public Intrinsics Intrinsics { get; init; } = Intrinsics.Kitti;

    /// <summary>
    /// The region searched: rows at least this fraction of the image height below the principal point's row, whole
    /// width (default 0.1: on a level camera the road's far end near the horizon is the noisiest part).
    /// </summary>
    public double HorizonMargin { get; init; } = 0.1;

    /// <summary>Largest accepted angle in degrees between the plane's normal and the camera's down axis (+y) (default 25).</summary>
    public double MaxTiltDegrees { get; init; } = 25;

    /// <summary>A point is an inlier when its distance to the plane is below this fraction of the plane's distance from the camera (default 0.05).</summary>
    public double InlierThreshold { get; init; } = 0.05;

    /// <summary>Smallest accepted share of the region's valid points on the plane (default 0.2).</summary>
    public double MinInlierShare { get; init; } = 0.2;

    /// <summary>Fewest valid (finite, positive depth) points in the region to attempt a fit (default 100).</summary>
    public int MinPoints { get; init; } = 100;

    /// <summary>RANSAC iterations (default 200).</summary>
    public int Iterations { get; init; } = 200;

    /// <summary>At most this many points (an even subsample) score RANSAC candidates (default 5000); the final fit uses all.</summary>
    public int MaxRansacPoints { get; init; } = 5000;

    /// <summary>Seed of the RANSAC sampling: the same map and options always give the same fit (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Require(double.IsFinite(CameraHeight) && CameraHeight > 0, nameof(CameraHeight), $"must be a positive number of metres (got {CameraHeight})");
        Require(Intrinsics is not null && Intrinsics.Fx > 0 && Intrinsics.Fy > 0 && double.IsFinite(Intrinsics.Cx) && double.IsFinite(Intrinsics.Cy),
            nameof(Intrinsics), $"need positive focal lengths and a finite principal point (got {Intrinsics})");
        Require(HorizonMargin is >= 0 and < 1, nameof(HorizonMargin), $"must be in [0, 1) (got {HorizonMargin})");
        Require(MaxTiltDegrees is > 0 and < 90, nameof(MaxTiltDegrees), $"must be in (0, 90) (got {MaxTiltDegrees})");
        Require(InlierThreshold is > 0 and < 1, nameof(InlierThreshold), $"must be in (0, 1) (got {InlierThreshold})");
        Require(MinInlierShare is > 0 and <= 1, nameof(MinInlierShare), $"must be in (0, 1] (got {MinInlierShare})");
        Require(MinPoints >= 3, nameof(MinPoints), $"must be at least 3 (got {MinPoints})");
        Require(Iterations >= 1, nameof(Iterations), $"must be at least 1 (got {Iterations})");
        Require(MaxRansacPoints >= 3, nameof(MaxRansacPoints), $"must be at least 3 (got {MaxRansacPoints})");
    }

    private static void Require(bool ok, string option, string message)
    {
        if (!ok)
        {
            throw new ArgumentException($"{nameof(GroundPlaneOptions)}.{option} {message}.", option);
        }
    }
}
