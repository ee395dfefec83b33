using System.Diagnostics;

namespace Monodepth2.MLNet.Tests;

/// <summary>Runs tests/SavedModelScorer, the program that references only stock ML.NET, on a saved model zip.</summary>
internal static class SavedModelScorerProcess
{
    public static (int Exit, string Log) Run(IReadOnlyList<string> args)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        var dll = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "SavedModelScorer", "bin", configuration, "net10.0", "SavedModelScorer.dll"));
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution (tests/SavedModelScorer).");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
