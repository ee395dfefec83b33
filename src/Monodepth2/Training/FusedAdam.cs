using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Monodepth2.Training;

/// <summary>
/// Adam's update for TorchSharp's <see cref="Adam"/> optimiser in one pass over each parameter on the CPU, on the
/// optimiser's own state tensors (so checkpoints and <c>load_py</c> are unchanged). TorchSharp's step runs eight tensor
/// operations per parameter, two of which allocate a parameter-sized temporary, and so reads and writes the 27 M
/// parameters of a Monodepth2 model about twenty times; this reads parameter, gradient and both moments once and writes
/// three of them. Same formula and order as PyTorch's Adam (no AMSGrad, no weight decay, not maximising): m = b1 m +
/// (1 - b1) g, v = b2 v + (1 - b2) g², p -= lr / (1 - b1^t) · m / (√v / √(1 - b2^t) + eps). Every element is
/// independent, so the result does not depend on the number of threads.
/// </summary>
internal static class FusedAdam
{
    private const int Chunk = 1 << 15;

    /// <summary>Whether <see cref="Step"/> can run this optimiser: CPU float32 parameters, plain Adam settings.</summary>
    public static bool Supports(Adam optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        foreach (var group in optimizer.ParamGroups.Cast<ParamGroup>())
        {
            var o = (Adam.Options)group.Options;
            if (o.amsgrad == true || o.maximize == true || o.weight_decay is not (null or 0.0))
            {
                return false;
            }

            if (group.Parameters.Any(p => p.device_type != TorchSharp.DeviceType.CPU || p.dtype != ScalarType.Float32 || !p.is_contiguous()))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One Adam step for every parameter that has a gradient.</summary>
    public static void Step(Adam optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var states = optimizer.state_dict().State;
        var k = 0;
        using var noGrad = no_grad();
        foreach (var group in optimizer.ParamGroups.Cast<ParamGroup>())
        {
            var o = (Adam.Options)group.Options;
            double b1 = o.beta1 ?? 0.9, b2 = o.beta2 ?? 0.999, eps = o.eps ?? 1e-8, lr = o.LearningRate ?? 1e-3;
            foreach (var p in group.Parameters)
            {
                var state = (Adam.State)states[k++];
                using var grad = p.grad;
                if (grad is null)
                {
                    continue;
                }

                state.step += 1;
                var bc1 = 1 - Math.Pow(b1, state.step);
                var bc2 = 1 - Math.Pow(b2, state.step);
                var parameters = new Update((float)b1, (float)(1 - b1), (float)b2, (float)(1 - b2), (float)Math.Sqrt(bc2), (float)eps, (float)(-lr / bc1));
                Apply(parameters, p, grad.is_contiguous() ? grad : grad.contiguous(), state.exp_avg, state.exp_avg_sq);
            }
        }
    }

    private static void Apply(Update u, Tensor p, Tensor g, Tensor m, Tensor v)
    {
        var n = p.numel();
        var chunks = (int)((n + Chunk - 1) / Chunk);
        if (chunks == 1)
        {
            Run(u, p, g, m, v, 0, (int)n);
            return;
        }

        Parallel.For(0, chunks, c =>
        {
            var start = (long)c * Chunk;
            Run(u, p, g, m, v, (int)start, (int)Math.Min(Chunk, n - start));
        });
    }

    private static void Run(Update u, Tensor pt, Tensor gt, Tensor mt, Tensor vt, int start, int count)
    {
        var p = MemoryMarshal.Cast<byte, float>(pt.bytes).Slice(start, count);
        var g = MemoryMarshal.Cast<byte, float>(gt.bytes).Slice(start, count);
        var m = MemoryMarshal.Cast<byte, float>(mt.bytes).Slice(start, count);
        var v = MemoryMarshal.Cast<byte, float>(vt.bytes).Slice(start, count);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = Vector<float>.Count;
            var pv = MemoryMarshal.Cast<float, Vector<float>>(p);
            var gv = MemoryMarshal.Cast<float, Vector<float>>(g);
            var mv = MemoryMarshal.Cast<float, Vector<float>>(m);
            var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
            for (var j = 0; j < pv.Length; j++)
            {
                var gj = gv[j];
                var mj = (mv[j] * u.Beta1) + (gj * u.OneMinusBeta1);
                var vj = (vv[j] * u.Beta2) + (gj * gj * u.OneMinusBeta2);
                mv[j] = mj;
                vv[j] = vj;
                pv[j] += u.NegStepSize * (mj / ((Vector.SquareRoot(vj) / u.SqrtBc2) + new Vector<float>(u.Eps)));
            }

            i = pv.Length * w;
        }

        for (; i < count; i++)
        {
            var gi = g[i];
            var mi = (m[i] * u.Beta1) + (gi * u.OneMinusBeta1);
            var vi = (v[i] * u.Beta2) + (gi * gi * u.OneMinusBeta2);
            m[i] = mi;
            v[i] = vi;
            p[i] += u.NegStepSize * (mi / ((MathF.Sqrt(vi) / u.SqrtBc2) + u.Eps));
        }
    }

    private readonly record struct Update(float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float SqrtBc2, float Eps, float NegStepSize);
}
