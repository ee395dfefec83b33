using Monodepth2.Imaging;

namespace Monodepth2.Data;

/// <summary>
/// torchvision's <c>ColorJitter</c> on float images in [0, 1], with the reference ranges (brightness, contrast,
/// saturation factors uniform in [0.8, 1.2], hue shift uniform in [-0.1, 0.1]) and torchvision's definitions:
/// brightness scales; contrast blends with the mean of the grayscale image; saturation blends with the grayscale
/// image (grayscale = 0.2989 R + 0.587 G + 0.114 B); hue rotates H in HSV. Each blend is clamped to [0, 1].
/// </summary>
public static class ColorJitter
{
    /// <summary>Half-width of the brightness, contrast and saturation ranges around 1.</summary>
    public const double FactorRange = 0.2;

    /// <summary>Largest hue shift.</summary>
    public const double HueRange = 0.1;

    /// <summary>
    /// Draws one set of parameters as torchvision's <c>get_params</c> does: first a random order, then brightness,
    /// contrast, saturation and hue.
    /// </summary>
    public static ColorJitterParameters Draw(Random rng)
    {
        var order = ColorJitterParameters.DefaultOrder.ToArray();
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var b = Uniform(rng, 1 - FactorRange, 1 + FactorRange);
        var c = Uniform(rng, 1 - FactorRange, 1 + FactorRange);
        var s = Uniform(rng, 1 - FactorRange, 1 + FactorRange);
        var h = Uniform(rng, -HueRange, HueRange);
        return new ColorJitterParameters(b, c, s, h, order);
    }

    /// <summary>Applies <paramref name="p"/> to a copy of <paramref name="image"/>.</summary>
    public static RgbImage Apply(RgbImage image, ColorJitterParameters p)
    {
        var data = (float[])image.Data.Clone();
        var plane = image.Width * image.Height;
        foreach (var step in p.Order)
        {
            switch (step)
            {
                case ColorJitterStep.Brightness:
                    Blend(data, (float)p.Brightness, _ => 0f, plane);
                    break;
                case ColorJitterStep.Contrast:
                    var mean = 0.0;
                    for (var i = 0; i < plane; i++)
                    {
                        mean += Gray(data, i, plane);
                    }

                    var m = (float)(mean / plane);
                    Blend(data, (float)p.Contrast, _ => m, plane);
                    break;
                case ColorJitterStep.Saturation:
                    var gray = new float[plane];
                    for (var i = 0; i < plane; i++)
                    {
                        gray[i] = Gray(data, i, plane);
                    }

                    Blend(data, (float)p.Saturation, i => gray[i], plane);
                    break;
                case ColorJitterStep.Hue:
                    ShiftHue(data, (float)p.Hue, plane);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(p), $"Unknown colour-jitter step {step}.");
            }
        }

        return new RgbImage(image.Width, image.Height, data);
    }

    /// <summary>torchvision's RGB to HSV (all in [0, 1]).</summary>
    public static (float H, float S, float V) RgbToHsv(float r, float g, float b)
    {
        var maxc = MathF.Max(r, MathF.Max(g, b));
        var minc = MathF.Min(r, MathF.Min(g, b));
        var eqc = maxc == minc;
        var cr = maxc - minc;
        var s = cr / (eqc ? 1f : maxc);
        var div = eqc ? 1f : cr;
        var rc = (maxc - r) / div;
        var gc = (maxc - g) / div;
        var bc = (maxc - b) / div;
        float h;
        if (maxc == r)
        {
            h = bc - gc;
        }
        else if (maxc == g)
        {
            h = 2f + rc - bc;
        }
        else
        {
            h = 4f + gc - rc;
        }

        h = PositiveMod((h / 6f) + 1f, 1f);
        return (h, s, maxc);
    }

    /// <summary>torchvision's HSV to RGB.</summary>
    public static (float R, float G, float B) HsvToRgb(float h, float s, float v)
    {
        var i = MathF.Floor(h * 6f);
        var f = (h * 6f) - i;
        var sector = ((int)i % 6 + 6) % 6;
        var p = Math.Clamp(v * (1f - s), 0f, 1f);
        var q = Math.Clamp(v * (1f - (s * f)), 0f, 1f);
        var t = Math.Clamp(v * (1f - (s * (1f - f))), 0f, 1f);
        return sector switch
        {
            0 => (v, t, p),
            1 => (q, v, p),
            2 => (p, v, t),
            3 => (p, q, v),
            4 => (t, p, v),
            _ => (v, p, q),
        };
    }

    private static double Uniform(Random rng, double lo, double hi) => lo + ((hi - lo) * rng.NextDouble());

    private static float Gray(float[] d, int i, int plane) => (0.2989f * d[i]) + (0.587f * d[plane + i]) + (0.114f * d[(2 * plane) + i]);

    private static void Blend(float[] data, float ratio, Func<int, float> other, int plane)
    {
        for (var i = 0; i < plane; i++)
        {
            var o = (1f - ratio) * other(i);
            data[i] = Math.Clamp((ratio * data[i]) + o, 0f, 1f);
            data[plane + i] = Math.Clamp((ratio * data[plane + i]) + o, 0f, 1f);
            data[(2 * plane) + i] = Math.Clamp((ratio * data[(2 * plane) + i]) + o, 0f, 1f);
        }
    }

    private static void ShiftHue(float[] data, float shift, int plane)
    {
        for (var i = 0; i < plane; i++)
        {
            var (h, s, v) = RgbToHsv(data[i], data[plane + i], data[(2 * plane) + i]);
            h = PositiveMod(h + shift, 1f);
            var (r, g, b) = HsvToRgb(h, s, v);
            data[i] = r;
            data[plane + i] = g;
            data[(2 * plane) + i] = b;
        }
    }

    private static float PositiveMod(float x, float m)
    {
        var r = x % m;
        return r < 0 ? r + m : r;
    }
}
