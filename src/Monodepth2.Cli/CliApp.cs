using System.CommandLine;
using System.CommandLine.Invocation;

namespace Monodepth2.Cli;

/// <summary>Builds the <c>monodepth2</c> command tree. Each verb lives in its own file under Commands/.</summary>
public static class CliApp
{
    /// <summary>The root command with every verb attached.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "monodepth2: self-supervised monocular depth estimation (Monodepth2) on .NET, TorchSharp and ML.NET.");
        root.Subcommands.Add(Commands.DemoCommand.Create());
        root.Subcommands.Add(Commands.SynthCommand.Create());
        root.Subcommands.Add(Commands.TrainCommand.Create());
        root.Subcommands.Add(Commands.EvaluateCommand.Create());
        root.Subcommands.Add(Commands.PredictCommand.Create());
        root.Subcommands.Add(Commands.ExportCommand.Create());
        root.Subcommands.Add(Commands.InfoCommand.Create());
        root.Subcommands.Add(Commands.SelfTestCommand.Create());
        return root;
    }

    /// <summary>
    /// Parses and runs a command line as the <c>monodepth2</c> program does. A parse error (a value that is not a
    /// number, an unknown choice, a missing required option, an unknown option) prints one line on stderr and returns
    /// <see cref="CliErrors.BadInput"/> (2) instead of System.CommandLine's error list, help text and exit code 1.
    /// </summary>
    public static int Run(string[] args)
    {
        var result = Build().Parse(args);
        return result.Action is ParseErrorAction ? CliErrors.ParseFailed(result) : result.Invoke();
    }
}
