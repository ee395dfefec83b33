namespace Monodepth2.Data;

/// <summary>One adjustment of <see cref="ColorJitter"/>; they are applied in a random order.</summary>
public enum ColorJitterStep
{
    /// <summary>Multiply by the brightness factor.</summary>
    Brightness,

    /// <summary>Blend with the mean of the grayscale image.</summary>
    Contrast,

    /// <summary>Blend with the grayscale image.</summary>
    Saturation,

    /// <summary>Rotate the hue in HSV.</summary>
    Hue,
}
