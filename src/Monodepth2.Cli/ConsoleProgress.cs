using System.Globalization;
using Monodepth2.Training;
using Spectre.Console;

namespace Monodepth2.Cli;

/// <summary>
/// Progress display: a Spectre.Console bar with ETA on an interactive terminal, plain lines when output is redirected
/// (CI logs, pipes).
/// </summary>
internal static class ConsoleProgress
{
    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/> with a counter from 0 to <paramref name="total"/>.</summary>
    public static T Run<T>(string description, double total, Func<IProgress<double>, T> work)
    {
        if (!Interactive)
        {
            var last = -1;
            return work(new Progress(v =>
            {
                var pct = (int)(100 * v / Math.Max(total, 1));
                if (pct / 10 != last / 10)
                {
                    last = pct;
                    Console.WriteLine($"{description}: {pct}%");
                }
            }));
        }

        T result = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(description, maxValue: total);
                result = work(new Progress(v => task.Value = v));
            });
        return result;
    }

    /// <summary>How the trainer computes, for the start line: "float32" or "bfloat16 mixed precision".</summary>
    public static string Precision(Trainer trainer) =>
        trainer.ComputeType == TorchSharp.torch.ScalarType.BFloat16 ? "bfloat16 mixed precision" : "float32";

    /// <summary>Trains with a live bar (steps, loss, images/s, ETA) or plain log lines.</summary>
    public static TrainingResult Train(Trainer trainer, long? totalSteps, CancellationToken cancellation)
    {
        // e.g. " min: identity 12% -1 41% +1 39% s 8%": which candidate won the per-pixel minimum since the last line.
        static string Shares(TrainingProgress p) => p.MinimumShares.Count == 0 ? string.Empty
            : " min: " + string.Join(' ', p.MinimumShares.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Candidate} {s.Share * 100:F0}%")));

        static string Line(TrainingProgress p) => string.Create(CultureInfo.InvariantCulture,
            $"step {p.Step}{(p.TotalSteps is { } t ? "/" + t : string.Empty)} epoch {p.Epoch} loss {p.Loss:F4} (photometric {p.Reprojection:F4}, smoothness {p.Smoothness:F4}{(p.Velocity is { } v ? $", velocity {v:F4} m" : string.Empty)}){Shares(p)} {p.ImagesPerSecond:F1} img/s lr {p.LearningRate:G2}{(p.Remaining is { } r ? $" eta {r:hh\\:mm\\:ss}" : string.Empty)}");

        if (!Interactive)
        {
            return trainer.Train(new Progress<TrainingProgress>(p => Console.WriteLine(Line(p))), cancellation);
        }

        TrainingResult result = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: totalSteps ?? 1);
                result = trainer.Train(new Progress<TrainingProgress>(p =>
                {
                    task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"loss {p.Loss:F4} {p.ImagesPerSecond:F1} img/s"));
                    if (p.TotalSteps is { } t)
                    {
                        task.MaxValue = t;
                        task.Value = p.Step;
                    }
                    else if (p.Remaining is { } r)
                    {
                        task.Value = p.Elapsed.TotalSeconds / (p.Elapsed + r).TotalSeconds * task.MaxValue;
                    }
                }), cancellation);
            });
        return result;
    }

    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
