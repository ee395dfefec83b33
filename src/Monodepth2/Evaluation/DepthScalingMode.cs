namespace Monodepth2.Evaluation;

/// <summary>How predicted depth is brought to metres before it is measured (<c>evaluate --scaling</c>).</summary>
public enum DepthScalingMode
{
    /// <summary>Per image, times median(gt) / median(pred): the reference's monocular protocol (needs ground truth).</summary>
    Median,

    /// <summary>Times the fixed stereo factor 5.4 (<see cref="Geometry.StereoBaseline.ScaleFactor"/>), no median scaling: the reference's stereo protocol.</summary>
    Stereo,

    /// <summary>Per image, the scale that puts the road plane fitted in the lower image at the camera's height (<see cref="Geometry.GroundPlane"/>).</summary>
    CameraHeight,

    /// <summary>Depth as predicted (times <see cref="DepthEvaluationOptions.ScaleFactor"/>, 1 by default).</summary>
    None,
}
