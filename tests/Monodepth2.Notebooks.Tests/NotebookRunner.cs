using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Monodepth2.Notebooks.Tests;

/// <summary>What one headless run of a notebook did.</summary>
/// <param name="ExitCode">dotnet-repl's exit code (2 when a cell failed), or null when it was killed at the time limit.</param>
/// <param name="Output">Its standard output and error.</param>
/// <param name="Executed">The executed copy of the notebook (may not exist when the run failed early).</param>
/// <param name="Elapsed">Wall time of the run.</param>
public sealed record NotebookRun(int? ExitCode, string Output, string Executed, TimeSpan Elapsed);

/// <summary>One cell's error in an executed notebook.</summary>
/// <param name="Cell">0-based index of the cell in the notebook.</param>
/// <param name="FirstLine">The cell's first source line, to find it.</param>
/// <param name="Message">The error's name and value as the kernel reported them.</param>
public sealed record CellError(int Cell, string FirstLine, string Message);

/// <summary>Runs notebooks with the local tool dotnet-repl (.config/dotnet-tools.json), as a person would headless.</summary>
public static class NotebookRunner
{
    private static readonly Lazy<string?> Problem = new(CheckTool);

    /// <summary>Null when dotnet-repl can run here; else what is wrong and how to fix it.</summary>
    public static string? ToolProblem => Problem.Value;

    /// <summary>
    /// Runs every cell of <paramref name="notebook"/> (a file in notebooks/, which is the working directory, as the
    /// notebooks' #r paths expect) and writes the executed copy under <paramref name="outputFolder"/>.
    /// </summary>
    public static NotebookRun Run(string notebook, string outputFolder, IReadOnlyDictionary<string, string> environment, TimeSpan limit)
    {
        var executed = Path.Combine(outputFolder, Path.GetFileNameWithoutExtension(notebook) + ".executed.ipynb");
        var start = Stopwatch.StartNew();
        var (exit, output) = DotnetCommand.Run(Repository.Notebooks, environment, limit,
            "tool", "run", "dotnet-repl", "--", "--run", Path.GetFullPath(notebook), "--exit-after-run", "--output-path", executed);
        return new NotebookRun(exit, output, executed, start.Elapsed);
    }

    /// <summary>The error outputs of an executed notebook, in cell order.</summary>
    public static IReadOnlyList<CellError> Errors(string executedNotebook)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(executedNotebook));
        var errors = new List<CellError>();
        var cells = doc.RootElement.GetProperty("cells");
        for (var i = 0; i < cells.GetArrayLength(); i++)
        {
            var cell = cells[i];
            if (!cell.TryGetProperty("outputs", out var outputs))
            {
                continue;
            }

            foreach (var output in outputs.EnumerateArray().Where(o => o.GetProperty("output_type").GetString() == "error"))
            {
                var name = output.TryGetProperty("ename", out var e) ? e.GetString() : "error";
                var value = output.TryGetProperty("evalue", out var v) ? v.GetString() : "";
                errors.Add(new CellError(i, Source(cell).Split('\n')[0], $"{name}: {value}"));
            }
        }

        return errors;
    }

    /// <summary>All text of a notebook's outputs (stream text and every display format), for checking what it showed.</summary>
    public static string OutputText(string executedNotebook)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(executedNotebook));
        var text = new StringBuilder();
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            if (cell.TryGetProperty("outputs", out var outputs))
            {
                foreach (var output in outputs.EnumerateArray())
                {
                    text.Append(output.GetRawText()).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    /// <summary>A cell's source as one string (nbformat allows a string or a list of lines).</summary>
    public static string Source(JsonElement cell)
    {
        var source = cell.GetProperty("source");
        return source.ValueKind == JsonValueKind.Array ? string.Concat(source.EnumerateArray().Select(s => s.GetString())) : source.GetString() ?? "";
    }

    private static string? CheckTool()
    {
        var (exit, output) = DotnetCommand.Run(Repository.Root, new Dictionary<string, string>(), TimeSpan.FromMinutes(2), "tool", "run", "dotnet-repl", "--", "--version");
        return exit == 0 ? null
            : "dotnet-repl (the local tool in .config/dotnet-tools.json that runs the notebooks) is not installed on this machine: " +
              $"run .config/setup.sh from the repository root (it runs `dotnet tool restore`). `dotnet tool run dotnet-repl --version` said: {output.Trim()}";
    }
}
