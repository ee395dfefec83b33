using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Monodepth2.Cli.Tests;

/// <summary>
/// The real command line (<c>dotnet Monodepth2.Cli.dll train ...</c>, the build copied beside the tests) as a child
/// process with one OpenMP thread, its output lines collected as they come.
/// </summary>
public sealed partial class TrainingProcess : IDisposable
{
    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly Lock gate = new();

    private TrainingProcess(IEnumerable<string> args, string workingDirectory)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Monodepth2.Cli.dll");
        Assert.True(File.Exists(cli), $"{cli} is missing: build tests/Monodepth2.Cli.Tests.");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["OMP_NUM_THREADS"] = "1";
        process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Clock = Stopwatch.StartNew();
    }

    /// <summary>Time since the process started.</summary>
    public Stopwatch Clock { get; }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>The highest "step N/T" progress line printed so far (0 before the first).</summary>
    public long LastStep
    {
        get
        {
            lock (gate)
            {
                return lines.Select(l => StepLine().Match(l)).Where(m => m.Success).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
            }
        }
    }

    /// <summary>Everything printed so far.</summary>
    public string Output
    {
        get
        {
            lock (gate)
            {
                return string.Join('\n', lines);
            }
        }
    }

    /// <summary>Starts <c>monodepth2 &lt;args&gt;</c>.</summary>
    public static TrainingProcess Start(IEnumerable<string> args, string workingDirectory) => new(args, workingDirectory);

    /// <summary>Waits (polling every millisecond) until <paramref name="condition"/> holds or the process ends; false when it ended first.</summary>
    public bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (process.HasExited)
            {
                return condition();
            }

            Assert.True(clock.Elapsed < timeout, $"waited {timeout} for the training process; it printed:\n{Output}");
            Thread.Sleep(1);
        }

        return true;
    }

    /// <summary>SIGKILL (kill -9): no handler, no finally block, no checkpoint runs.</summary>
    public void Kill()
    {
        Assert.False(process.HasExited, $"the training process ended before it was killed:\n{Output}");
        process.Kill(entireProcessTree: false);
        process.WaitForExit();
    }

    /// <summary>Waits for the process to end on its own and returns its exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        Assert.True(process.WaitForExit(timeout), $"the training process did not end within {timeout}:\n{Output}");
        process.WaitForExit();   // drains the output
        return process.ExitCode;
    }

    /// <summary>Kills the process if it still runs.</summary>
    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            lock (gate)
            {
                lines.Add(line);
            }
        }
    }

    [GeneratedRegex(@"^step (\d+)/")]
    private static partial Regex StepLine();
}
