using static TorchSharp.torch.nn;

namespace Monodepth2.Networks;

/// <summary>Counts the multiply-accumulate operations of a network's convolution and linear layers during one forward pass.</summary>
public static class MacCounter
{
    /// <summary>
    /// Runs <paramref name="forward"/> once with hooks on every <c>Conv2d</c> and <c>Linear</c> inside
    /// <paramref name="modules"/> and returns the MACs: output elements times (input channels / groups) times kernel area
    /// for convolutions, output elements times input features for linear layers. Element-wise layers (batch norm,
    /// activations, pooling, upsampling) are not counted; they are a small fraction of a ResNet's work.
    /// </summary>
    public static long Count(IEnumerable<Module> modules, Action forward)
    {
        ArgumentNullException.ThrowIfNull(forward);
        long macs = 0;
        var removers = new List<Action>();
        foreach (var module in modules.SelectMany(m => m.modules().Prepend(m)).Distinct())
        {
            if (module is TorchSharp.Modules.Conv2d conv)
            {
                var convHook = conv.register_forward_hook((m, input, output) =>
                {
                    var w = conv.weight!.shape;
                    macs += output.numel() * w[1] * w[2] * w[3];
                    return output;
                });
                removers.Add(convHook.remove);
            }
            else if (module is TorchSharp.Modules.Linear linear)
            {
                var linearHook = linear.register_forward_hook((m, input, output) =>
                {
                    macs += output.numel() * linear.weight!.shape[1];
                    return output;
                });
                removers.Add(linearHook.remove);
            }
        }

        try
        {
            forward();
        }
        finally
        {
            foreach (var remove in removers)
            {
                remove();
            }
        }

        return macs;
    }
}
