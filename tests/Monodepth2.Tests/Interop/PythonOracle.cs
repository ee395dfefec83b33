using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Monodepth2.Tests.Interop;

/// <summary>
/// Runs the Python scripts of this folder with Debian's real PyTorch (python3-torch, python3-torchvision: a test-only
/// oracle that <c>.config/setup.sh</c> installs) and returns what they print. A missing interpreter or module fails the
/// test: these checks must not silently disappear on a machine that was not set up.
/// </summary>
internal static class PythonOracle
{
    /// <summary>The system interpreter, where Debian's python3-torch lives (not whatever python3 is first on PATH).</summary>
    public const string Interpreter = "/usr/bin/python3";

    private const string SetUpHint = "Run `sudo bash .config/setup.sh` (it installs Debian's python3-torch and python3-torchvision, the test oracle).";

    /// <summary>Runs <c>Interop/<paramref name="script"/></c> with arguments and returns its stdout; fails the test on a non-zero exit.</summary>
    public static string Run(string script, IReadOnlyList<string> arguments, TimeSpan? timeout = null)
    {
        if (!File.Exists(Interpreter))
        {
            Assert.Fail($"{Interpreter} not found: the interop tests compare against real PyTorch. {SetUpHint}");
        }

        var path = Path.Combine(AppContext.BaseDirectory, "Interop", script);
        Assert.True(File.Exists(path), $"{path}: oracle script not copied to the test output.");
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(path)!,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-B");   // no __pycache__ next to the scripts
        start.ArgumentList.Add(path);
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["MKL_NUM_THREADS"] = "1";
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        start.Environment.Remove("PYTHONPATH");
        start.Environment.Remove("PYTHONHOME");

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Interpreter} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"{script} did not finish within {limit.TotalSeconds:0} s. stderr:\n{stderr.Result}");
        }

        process.WaitForExit();
        var output = stdout.Result;
        var errors = stderr.Result;
        if (process.ExitCode != 0)
        {
            var hint = errors.Contains("No module named 'torch", StringComparison.Ordinal) || errors.Contains("No module named 'numpy'", StringComparison.Ordinal)
                ? "\n" + SetUpHint
                : string.Empty;
            Assert.Fail($"{script} {string.Join(' ', arguments)} exited with code {process.ExitCode}.{hint}\nstderr:\n{errors}");
        }

        return output;
    }

    /// <summary>Runs a script that prints one JSON document as its last stdout line and parses it.</summary>
    public static JsonElement RunJson(string script, params string[] arguments)
    {
        var output = Run(script, arguments);
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        Assert.False(last is null, $"{script} printed nothing.");
        using var doc = JsonDocument.Parse(last!);
        return doc.RootElement.Clone();
    }
}
