using System.Diagnostics;

namespace Monodepth2.Training;

/// <summary>
/// Where a training step's time goes, for the <c>train-speed</c> benchmark: the trainer and its objective mark the end
/// of each phase, and the time since the previous mark is added to that phase.
/// </summary>
internal sealed class StepPhases
{
    /// <summary>Loading, augmenting and collating the batch (without <see cref="Gc"/>).</summary>
    public const string Data = "data loading";

    /// <summary>The forced collection and finalizer drain before each batch (<see cref="TorchRuntime.QuiesceFinalizers"/>).</summary>
    public const string Gc = "gc + finalizers";

    /// <summary>zero_grad and the networks' forward passes (depth and pose).</summary>
    public const string Forward = "forward";

    /// <summary>Warping, SSIM, minimum reprojection, smoothness.</summary>
    public const string Loss = "loss";

    /// <summary>Autograd's backward pass.</summary>
    public const string Backward = "backward";

    /// <summary>Adam's step.</summary>
    public const string Optimizer = "optimizer step";

    /// <summary>Everything else in the loop (reading the loss, progress, logging).</summary>
    public const string Other = "other";

    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Dictionary<string, TimeSpan> totals = [];
    private TimeSpan last;

    /// <summary>Phases in the order of a step.</summary>
    public static IReadOnlyList<string> Order { get; } = [Data, Gc, Forward, Loss, Backward, Optimizer, Other];

    /// <summary>Total time per phase since <see cref="Reset"/>.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Totals => totals;

    /// <summary>Ends the current phase: the time since the last mark is added to <paramref name="phase"/>.</summary>
    public void Mark(string phase)
    {
        var now = clock.Elapsed;
        totals[phase] = totals.GetValueOrDefault(phase) + (now - last);
        last = now;
    }

    /// <summary>Moves time already added to <paramref name="from"/> to <paramref name="to"/> (the collection inside data loading).</summary>
    public void Move(string from, string to, TimeSpan amount)
    {
        totals[from] = totals.GetValueOrDefault(from) - amount;
        totals[to] = totals.GetValueOrDefault(to) + amount;
    }

    /// <summary>Forgets the totals (after warm-up steps) and restarts the current phase now.</summary>
    public void Reset()
    {
        totals.Clear();
        last = clock.Elapsed;
    }
}
