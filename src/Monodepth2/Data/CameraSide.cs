namespace Monodepth2.Data;

/// <summary>Which camera of a stereo rig a frame comes from (KITTI: left = image_02, right = image_03).</summary>
public enum CameraSide
{
    /// <summary>Left colour camera (KITTI image_02 / odometry image_2); split token <c>l</c> or <c>2</c>.</summary>
    Left,

    /// <summary>Right colour camera (KITTI image_03 / odometry image_3); split token <c>r</c> or <c>3</c>.</summary>
    Right,
}
