namespace Monodepth2.Evaluation;

/// <summary>A 3-D position (camera centre) in metres, or in the model's units for predictions.</summary>
/// <param name="X">x (right in KITTI camera coordinates).</param>
/// <param name="Y">y (down).</param>
/// <param name="Z">z (forward).</param>
public readonly record struct Point3(double X, double Y, double Z);
