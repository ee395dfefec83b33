namespace Monodepth2.MLNet.Tests;

/// <summary>Agreement measures between two feature maps of one image, laid out [C, H, W].</summary>
public static class FeatureComparison
{
    /// <summary>||actual - expected|| / ||expected||.</summary>
    public static double RelativeL2(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        double diff = 0, norm = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var d = (double)actual[i] - expected[i];
            diff += d * d;
            norm += (double)expected[i] * expected[i];
        }

        return Math.Sqrt(diff / norm);
    }

    /// <summary>
    /// Pearson correlation over the spatial positions of each channel; returns mean and minimum over the channels in
    /// which both maps vary (a channel that is constant in both, e.g. all zero after ReLU, carries no signal).
    /// </summary>
    public static (double Mean, double Min, int Channels) PerChannelPearson(float[] actual, float[] expected, int channels)
    {
        var n = expected.Length / channels;
        var correlations = new List<double>(channels);
        for (var c = 0; c < channels; c++)
        {
            var a = actual.AsSpan(c * n, n);
            var b = expected.AsSpan(c * n, n);
            double ma = 0, mb = 0;
            for (var i = 0; i < n; i++)
            {
                ma += a[i];
                mb += b[i];
            }

            ma /= n;
            mb /= n;
            double sab = 0, saa = 0, sbb = 0;
            for (var i = 0; i < n; i++)
            {
                sab += (a[i] - ma) * (b[i] - mb);
                saa += (a[i] - ma) * (a[i] - ma);
                sbb += (b[i] - mb) * (b[i] - mb);
            }

            if (saa > 1e-12 * n && sbb > 1e-12 * n)
            {
                correlations.Add(sab / Math.Sqrt(saa * sbb));
            }
        }

        return (correlations.Average(), correlations.Min(), correlations.Count);
    }

    /// <summary>Pearson correlation over all elements.</summary>
    public static double Pearson(float[] actual, float[] expected) => PerChannelPearson(actual, expected, 1).Mean;

    /// <summary>Cosine similarity of the spatial means (global average pool) of the two maps.</summary>
    public static double PooledCosine(float[] actual, float[] expected, int channels)
    {
        var n = expected.Length / channels;
        double dot = 0, na = 0, nb = 0;
        for (var c = 0; c < channels; c++)
        {
            double a = 0, b = 0;
            for (var i = 0; i < n; i++)
            {
                a += actual[(c * n) + i];
                b += expected[(c * n) + i];
            }

            dot += a * b;
            na += a * a;
            nb += b * b;
        }

        return dot / Math.Sqrt(na * nb);
    }

    /// <summary>Relative L2 error restricted to the pixels of each [H, W] plane that <paramref name="select"/> picks.</summary>
    public static double RelativeL2Where(float[] actual, float[] expected, int channels, int height, int width, Func<int, int, bool> select)
    {
        double diff = 0, norm = 0;
        for (var c = 0; c < channels; c++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    if (!select(y, x))
                    {
                        continue;
                    }

                    var i = (((c * height) + y) * width) + x;
                    var d = (double)actual[i] - expected[i];
                    diff += d * d;
                    norm += (double)expected[i] * expected[i];
                }
            }
        }

        return Math.Sqrt(diff / norm);
    }
}
