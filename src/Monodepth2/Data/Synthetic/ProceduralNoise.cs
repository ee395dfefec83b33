using System.Runtime.CompilerServices;

namespace Monodepth2.Data.Synthetic;

/// <summary>
/// Cheap hash-based value noise and band-limited fractal sums, plus anti-aliased stripes. "Footprint" is the size of one
/// pixel on the surface, in the same units as the coordinates: octaves finer than about two footprints fade to their
/// mean, so distant or small renders are smooth rather than aliased.
/// </summary>
internal static class ProceduralNoise
{
    /// <summary>A 32-bit integer hash (lowbias32 finaliser) of a lattice point and a seed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash(int x, int y, uint seed)
    {
        var h = seed ^ ((uint)x * 0x8DA6B343u) ^ ((uint)y * 0xD8163841u);
        h ^= h >> 16;
        h *= 0x7FEB352Du;
        h ^= h >> 15;
        h *= 0x846CA68Bu;
        h ^= h >> 16;
        return h;
    }

    /// <summary>Mixes two values into one seed.</summary>
    public static uint Mix(uint a, uint b) => Hash((int)a, (int)b, 0x9E3779B9u);

    /// <summary>A hash mapped to [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Unit(int x, int y, uint seed) => (Hash(x, y, seed) >> 8) * (1.0 / 16777216.0);

    /// <summary>Value noise in [0, 1] with one lattice cell per unit, smoothly (cubic Hermite) interpolated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Value(double x, double y, uint seed)
    {
        var fx = Math.Floor(x);
        var fy = Math.Floor(y);
        var tx = x - fx;
        var ty = y - fy;
        tx = tx * tx * (3 - (2 * tx));
        ty = ty * ty * (3 - (2 * ty));

        // Hash(x, y) = Finalise(seed ^ x * A ^ y * B): share the lattice products of the four corners.
        var xa = (uint)(int)(long)fx * 0x8DA6B343u;
        var yb = (uint)(int)(long)fy * 0xD8163841u;
        var a = Finalise(seed ^ xa ^ yb);
        var b = Finalise(seed ^ (xa + 0x8DA6B343u) ^ yb);
        var c = Finalise(seed ^ xa ^ (yb + 0xD8163841u));
        var d = Finalise(seed ^ (xa + 0x8DA6B343u) ^ (yb + 0xD8163841u));
        var top = a + ((b - a) * tx);
        var bottom = c + ((d - c) * tx);
        return top + ((bottom - top) * ty);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Finalise(uint h)
    {
        h ^= h >> 16;
        h *= 0x7FEB352Du;
        h ^= h >> 15;
        h *= 0x846CA68Bu;
        h ^= h >> 16;
        return (h >> 8) * (1.0 / 16777216.0);
    }

    /// <summary>
    /// Fractal value noise in [0, 1]: <paramref name="octaves"/> octaves starting at <paramref name="frequency"/> cycles
    /// per unit, each twice the frequency and <paramref name="gain"/> times the amplitude of the last; octaves whose
    /// frequency times <paramref name="footprint"/> passes 0.25 fade out, and are gone (replaced by their mean) at 0.5.
    /// </summary>
    public static double Fbm(double x, double y, uint seed, double frequency, int octaves, double footprint, double gain = 0.5)
    {
        var sum = 0.0;
        var norm = 0.0;
        var amplitude = 1.0;
        for (var o = 0; o < octaves; o++)
        {
            var w = BandWeight(frequency * footprint);
            if (w <= 0)
            {
                // All finer octaves are gone too: they contribute their mean.
                var rest = 0.0;
                for (var k = o; k < octaves; k++)
                {
                    rest += amplitude;
                    amplitude *= gain;
                }

                sum += 0.5 * rest;
                norm += rest;
                break;
            }

            var n = Value(x * frequency, y * frequency, seed + (uint)o * 0x68E31DA4u);
            sum += amplitude * ((w * n) + ((1 - w) * 0.5));
            norm += amplitude;
            amplitude *= gain;
            frequency *= 2;
        }

        return sum / norm;
    }

    /// <summary>Weight of a feature of the given cycles-per-pixel: 1 up to 0.25, falling linearly to 0 at 0.5 (Nyquist).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double BandWeight(double cyclesPerPixel) => Math.Clamp(2 - (4 * cyclesPerPixel), 0, 1);

    /// <summary>
    /// Coverage in [0, 1] of the band |x - centre| &lt; halfWidth, box-filtered over a pixel <paramref name="footprint"/>
    /// wide (an anti-aliased line).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Band(double x, double centre, double halfWidth, double footprint)
    {
        var d = Math.Abs(x - centre);
        var f = Math.Max(footprint, 1e-9);
        var lo = Math.Clamp((d - halfWidth + (0.5 * f)) / f, 0, 1);
        return Math.Min(1 - lo, 2 * halfWidth / f);
    }

    /// <summary>
    /// Coverage of periodic lines: a band of <paramref name="halfWidth"/> around every multiple of
    /// <paramref name="period"/> (after <paramref name="offset"/>), anti-aliased; fades to the mean when lines crowd pixels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Lines(double x, double period, double halfWidth, double footprint, double offset = 0)
    {
        var p = x - offset;
        var r = p - (Math.Floor(p / period) * period);
        if (r > 0.5 * period)
        {
            r -= period;
        }

        var mean = 2 * halfWidth / period;
        var w = BandWeight(footprint / period);
        var crisp = Band(r, 0, halfWidth, footprint);
        return (w * crisp) + ((1 - w) * mean);
    }

    /// <summary>Smoothstep from <paramref name="e0"/> to <paramref name="e1"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SmoothStep(double e0, double e1, double x)
    {
        var t = Math.Clamp((x - e0) / (e1 - e0), 0, 1);
        return t * t * (3 - (2 * t));
    }
}
