using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Monodepth2.Notebooks.Tests;

/// <summary>
/// Runs every notebook in notebooks/ headless with dotnet-repl against the freshly built Release output, at the tiny
/// size its knobs allow, and fails with the failing cell's error.
/// </summary>
public sealed partial class NotebookTests(ITestOutputHelper log)
{
    /// <summary>The knobs every notebook reads (MONODEPTH2_NB_*): the smallest sizes that still exercise every cell.</summary>
    private static readonly Dictionary<string, string> TinyKnobs = new()
    {
        ["MONODEPTH2_NB_STEPS"] = "3",
        ["MONODEPTH2_NB_WIDTH"] = "64",
        ["MONODEPTH2_NB_HEIGHT"] = "64",
        ["MONODEPTH2_NB_SEQUENCES"] = "3",
        ["MONODEPTH2_NB_FRAMES"] = "6",
        ["MONODEPTH2_NB_PICTURES"] = "2",
    };

    /// <summary>The notebooks and a piece of output each must show (a picture, the loss plot, the metrics table).</summary>
    public static TheoryData<string, string[]> Notebooks => new()
    {
        { "quickstart.ipynb", ["data:image/png;base64,", "<table>", "through the loaded depth.zip", "depth from the saved ML.NET model"] },
        { "training.ipynb", ["<svg", "encoder.pth"] },
        { "evaluation.ipynb", ["<table>", "constant depth", "data:image/png;base64,"] },
    };

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void NotebookRunsHeadless(string name, string[] expectedOutput)
    {
        Assert.True(NotebookRunner.ToolProblem is null, NotebookRunner.ToolProblem);
        var dll = Path.GetFullPath(Path.Combine(Repository.Notebooks, Repository.CliReleaseOutput, "Monodepth2.dll"));
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution in Release (`dotnet build -c Release`) before running the notebook tests.");

        var folder = Directory.CreateTempSubdirectory("md2-notebook-").FullName;
        var knobs = new Dictionary<string, string>(TinyKnobs) { ["MONODEPTH2_NB_OUT"] = Path.Combine(folder, "output") };
        var run = NotebookRunner.Run(Path.Combine(Repository.Notebooks, name), folder, knobs, TimeSpan.FromMinutes(10));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {run.Elapsed.TotalSeconds:F1} s (dotnet-repl exit code {run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none: killed at the time limit"})"));

        var errors = File.Exists(run.Executed) ? NotebookRunner.Errors(run.Executed) : [];
        if (run.ExitCode != 0 || errors.Count > 0 || !File.Exists(run.Executed))
        {
            var what = errors.Count > 0
                ? string.Join("\n", errors.Select(e => $"cell {e.Cell} (`{e.FirstLine.Trim()}`): {e.Message}"))
                : $"no cell reported an error; dotnet-repl said:\n{Tail(run.Output, 4000)}";
            Assert.Fail($"notebooks/{name} failed (exit code {run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none: killed after 10 minutes"}, {run.Elapsed.TotalSeconds:F0} s). Executed copy: {run.Executed}\n{what}");
        }

        var shown = NotebookRunner.OutputText(run.Executed);
        foreach (var expected in expectedOutput)
        {
            Assert.True(shown.Contains(expected, StringComparison.Ordinal), $"notebooks/{name} ran but its output lacks `{expected}`. Executed copy: {run.Executed}");
        }

        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void EveryNotebookIsRunHere()
    {
        var present = Directory.GetFiles(Repository.Notebooks, "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var run = Notebooks.Select(row => (string)row[0]).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(run, present);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void NotebookIsCommittedCleanAndReferencesTheBuild(string name, string[] expectedOutput)
    {
        _ = expectedOutput;
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Notebooks, name)));
        var root = doc.RootElement;
        Assert.Equal(".net-csharp", root.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
        var code = root.GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("cell_type").GetString() == "code").ToList();
        Assert.All(code, c => Assert.Equal(0, c.GetProperty("outputs").GetArrayLength()));
        Assert.All(code, c => Assert.Equal(JsonValueKind.Null, c.GetProperty("execution_count").ValueKind));

        var source = string.Join("\n", code.Select(NotebookRunner.Source));
        var nuget = NugetTorchSharp().Match(source);
        Assert.True(nuget.Success, $"{name} has no #r \"nuget: TorchSharp-cpu, <version>\".");
        Assert.Equal(Repository.TorchSharpVersion, nuget.Groups[1].Value);
        Assert.Contains($"#r \"{Repository.CliReleaseOutput}Monodepth2.dll\"", source, StringComparison.Ordinal);
    }

    private static string Tail(string text, int chars) => text.Length <= chars ? text : "..." + text[^chars..];

    [GeneratedRegex(@"#r\s+""nuget:\s*TorchSharp-cpu,\s*([^""\s]+)""")]
    private static partial Regex NugetTorchSharp();
}
