namespace Monodepth2.Data;

/// <summary>One colour-jitter draw, applied identically to every frame of a sample.</summary>
/// <param name="Brightness">Brightness factor (1 = unchanged).</param>
/// <param name="Contrast">Contrast factor (1 = unchanged).</param>
/// <param name="Saturation">Saturation factor (1 = unchanged).</param>
/// <param name="Hue">Hue shift in turns, in [-0.5, 0.5] (0 = unchanged).</param>
/// <param name="Order">The order in which the four adjustments are applied.</param>
public sealed record ColorJitterParameters(double Brightness, double Contrast, double Saturation, double Hue, IReadOnlyList<ColorJitterStep> Order)
{
    /// <summary>The canonical order brightness, contrast, saturation, hue.</summary>
    public static IReadOnlyList<ColorJitterStep> DefaultOrder { get; } =
        [ColorJitterStep.Brightness, ColorJitterStep.Contrast, ColorJitterStep.Saturation, ColorJitterStep.Hue];

    /// <summary>Only a brightness change.</summary>
    public static ColorJitterParameters BrightnessOnly(double factor) => new(factor, 1, 1, 0, DefaultOrder);

    /// <summary>Only a hue shift.</summary>
    public static ColorJitterParameters HueOnly(double shift) => new(1, 1, 1, shift, DefaultOrder);
}
