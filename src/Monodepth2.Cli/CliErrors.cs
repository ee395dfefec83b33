using System.CommandLine;
using Monodepth2.Data;

namespace Monodepth2.Cli;

/// <summary>Turns expected failures (bad input) into one clear line on stderr and a non-zero exit code.</summary>
internal static class CliErrors
{
    /// <summary>Exit code for bad input (missing file, unreadable image, bad options).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code for a run stopped by Ctrl+C after saving.</summary>
    public const int Cancelled = 130;

    /// <summary>Reports a command line that did not parse: one line on stderr (every error, and where help is), exit code 2.</summary>
    public static int ParseFailed(ParseResult result)
    {
        var messages = result.Errors.Select(e => e.Message.ReplaceLineEndings(" ").Trim().TrimEnd('.')).Distinct(StringComparer.Ordinal);
        var names = new List<string>();
        for (var c = result.CommandResult.Command; c is not RootCommand; c = c.Parents.OfType<Command>().First())
        {
            names.Insert(0, c.Name);
        }

        var command = string.Join(' ', names.Prepend("monodepth2"));
        Console.Error.WriteLine($"error: {string.Join("; ", messages)}. See {command} --help.");
        return BadInput;
    }

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException
                                       or BadSampleException or FormatException or InvalidOperationException or NotSupportedException or UnauthorizedAccessException or IOException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return BadInput;
        }
    }

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException
                                       or BadSampleException or FormatException or InvalidOperationException or NotSupportedException or UnauthorizedAccessException or IOException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return BadInput;
        }
    }
}
