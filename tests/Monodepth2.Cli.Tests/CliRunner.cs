
namespace Monodepth2.Cli.Tests;

/// <summary>Runs the command line in-process with captured output. Console is global: tests share one collection.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    public const string Name = "cli";
}

public sealed record CliRun(int ExitCode, string Output, string Error);

public static class CliRunner
{
    private static readonly object Gate = new();

    public static CliRun Run(params string[] args)
    {
        lock (Gate)
        {
            var oldOut = Console.Out;
            var oldErr = Console.Error;
            using var output = new StringWriter();
            using var error = new StringWriter();
            Console.SetOut(output);
            Console.SetError(error);
            try
            {
                var code = CliApp.Run(args);
                return new CliRun(code, output.ToString(), error.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }
}
