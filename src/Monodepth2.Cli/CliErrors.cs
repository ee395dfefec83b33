using Monodepth2.Data;

namespace Monodepth2.Cli;

/// <summary>Turns expected failures (bad input) into one clear line on stderr and a non-zero exit code.</summary>
internal static class CliErrors
{
    /// <summary>Exit code for bad input (missing file, unreadable image, bad options).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code for a run stopped by Ctrl+C after saving.</summary>
    public const int Cancelled = 130;

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException
                                       or BadSampleException or InvalidOperationException or NotSupportedException or UnauthorizedAccessException or IOException)
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
                                       or BadSampleException or InvalidOperationException or NotSupportedException or UnauthorizedAccessException or IOException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return BadInput;
        }
    }
}
