using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Monodepth2.Weights;

/// <summary>
/// Writes an optimiser's state as PyTorch's <c>optimizer.state_dict()</c> file (<c>adam.pth</c> in a checkpoint), read
/// back with TorchSharp.PyBridge's <c>load_py</c> or with <c>torch.load</c>. Adam is written with
/// <see cref="PyTorchFileWriter"/> (uncompressed, as PyTorch does; the same keys as PyBridge's <c>save_py</c>); other
/// optimisers go through <c>save_py</c>.
/// </summary>
public static class OptimizerStateFile
{
    /// <summary>Writes the state atomically.</summary>
    public static void Write(string path, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var dict = optimizer.state_dict();
        if (!dict.Options.All(o => o is Adam.Options) || !dict.State.All(s => s is Adam.State))
        {
            AtomicFile.Write(path, s => optimizer.save_py(s, leaveOpen: true));
            return;
        }

        var copies = new List<Tensor>();
        try
        {
            var groups = dict.Options.Cast<Adam.Options>().Select((o, g) => (object?)new Dictionary<string, object?>
            {
                ["lr"] = o.LearningRate,
                ["betas"] = new object?[] { o.beta1, o.beta2 },
                ["eps"] = o.eps,
                ["weight_decay"] = o.weight_decay,
                ["amsgrad"] = o.amsgrad,
                ["maximize"] = o.maximize,
                ["params"] = dict.StateIndexRef[g].Select(i => (object?)i).ToList(),
            }).ToList();
            var state = new Dictionary<int, object?>();
            for (var i = 0; i < dict.State.Count; i++)
            {
                var s = (Adam.State)dict.State[i];
                var step = tensor(s.step);
                copies.Add(step);
                state[i] = new Dictionary<string, object?>
                {
                    ["step"] = step,
                    ["exp_avg"] = PyTorchFileWriter.OnCpu(s.exp_avg, copies),
                    ["exp_avg_sq"] = PyTorchFileWriter.OnCpu(s.exp_avg_sq, copies),
                    ["max_exp_avg_sq"] = PyTorchFileWriter.OnCpu(s.max_exp_avg_sq, copies),
                };
            }

            var file = new Dictionary<string, object?> { ["state"] = state, ["param_groups"] = groups };
            AtomicFile.Write(path, stream => PyTorchFileWriter.Write(stream, file));
        }
        finally
        {
            copies.ForEach(t => t.Dispose());
        }
    }
}
