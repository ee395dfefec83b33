namespace Monodepth2.Data.Synthetic;

/// <summary>What a rendered pixel sees.</summary>
public enum SurfaceKind : byte
{
    /// <summary>Sky: no surface, ground-truth depth 0 ("no measurement", as in KITTI ground truth).</summary>
    Sky,

    /// <summary>The flat ground plane (road, lane markings, parking lanes, sidewalks) at camera height below the camera.</summary>
    Ground,

    /// <summary>A building (street-front or back-row block).</summary>
    Building,

    /// <summary>A street obstacle: parked car body or cabin, bin, pole.</summary>
    Obstacle,

    /// <summary>A car driving at its own speed (<see cref="SyntheticWorldOptions.MovingCars"/>): not static between frames.</summary>
    MovingCar,
}
