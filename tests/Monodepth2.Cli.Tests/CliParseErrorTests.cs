namespace Monodepth2.Cli.Tests;

/// <summary>
/// Every way a command line can fail to parse, for several commands: exit code 2, one line on stderr that names the
/// culprit, no help text, no stack trace. Also option combinations that would silently do nothing.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class CliParseErrorTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("md2-cli-parse-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Kind of error, the arguments, and a piece of text the one line must contain.</summary>
    public static TheoryData<string, string[], string> ParseErrors() => new()
    {
        { "bad number", ["train", "--data", "d", "--batch-size", "abc"], "abc" },
        { "bad number", ["synth", "out", "--frames", "many"], "many" },
        { "bad number", ["evaluate", "--data", "d", "--baseline", "--scale-factor", "x5"], "x5" },
        { "bad number", ["export", "--model", "m", "--batch-size", "1.5"], "1.5" },
        { "bad number", ["predict", "--model", "m", "a.png", "--intrinsics", "0.5", "q7", "0.5", "0.5"], "q7" },
        { "bad number", ["train", "--data", "d", "--max-minutes", "soon"], "soon" },
        { "unknown enum", ["train", "--data", "d", "--layout", "Nowhere"], "Nowhere" },
        { "unknown enum", ["train", "--data", "d", "--pose-network", "Wings"], "Wings" },
        { "unknown enum", ["train", "--data", "d", "--modality", "sideways"], "sideways" },
        { "unknown enum", ["evaluate", "pose", "--model", "m", "--data", "d", "--sequence", "9", "--layout", "Cityscapes"], "Cityscapes" },
        { "unknown enum", ["export", "--model", "m", "--format", "tflite"], "tflite" },
        { "missing required", ["train"], "--data" },
        { "missing required", ["evaluate", "--model", "m"], "--data" },
        { "missing required", ["evaluate", "pose", "--data", "d", "--sequence", "9"], "--model" },
        { "missing required", ["predict", "a.png"], "--model" },
        { "missing required", ["export"], "--model" },
        { "unknown option", ["train", "--data", "d", "--frobnicate"], "--frobnicate" },
        { "unknown option", ["info", "x", "--bogus"], "--bogus" },
        { "unknown option", ["evaluate", "pose", "--model", "m", "--data", "d", "--sequence", "9", "--gt-poses", "p"], "--gt-poses" },
        { "unknown option", ["selftest", "--verbose"], "--verbose" },
        { "unknown command", ["fly"], "fly" },
    };

    [Theory]
    [MemberData(nameof(ParseErrors))]
    public void ParseErrorsGiveExitCode2AndOneLine(string kind, string[] args, string culprit)
    {
        var run = CliRunner.Run(args);
        AssertOneLineError(run, culprit, kind);
        Assert.True(run.Output.Length == 0, $"{kind}: nothing on stdout (no help text) expected, got: {run.Output}");
    }

    [Fact]
    public void AKittiOdometrySequenceThatIsNotANumberIsOneLine()
    {
        Directory.CreateDirectory(Path.Combine(dir, "model"));
        var run = CliRunner.Run("evaluate", "pose", "--model", Path.Combine(dir, "model"), "--data", dir, "--layout", "KittiOdometry", "--sequence", "nine");
        AssertOneLineError(run, "nine", "sequence not a number");
    }

    public static TheoryData<string[], string> IgnoredCombinations() => new()
    {
        { ["train", "--data", "d", "--layout", "Folder", "--use-calibration"], "--use-calibration" },
        { ["train", "--data", "d", "--layout", "KittiOdometry", "--use-calibration"], "--use-calibration" },
        { ["evaluate", "--data", "d", "--baseline", "--stereo"], "--stereo" },
        { ["evaluate", "--data", "d", "--baseline", "--scale-factor", "2"], "--scale-factor" },
        { ["evaluate", "--data", "d", "--pred", "p.npy", "--post-process"], "--post-process" },
    };

    [Theory]
    [MemberData(nameof(IgnoredCombinations))]
    public void OptionsThatWouldDoNothingAreRefused(string[] args, string culprit)
    {
        var run = CliRunner.Run([.. args.Select(a => a is "d" ? dir : a)]);
        AssertOneLineError(run, culprit, string.Join(' ', args));
    }

    [Fact]
    public void ExportBatchSizeForTheZipAloneIsRefusedBeforeWritingAnything()
    {
        var model = Path.Combine(dir, "model");
        Directory.CreateDirectory(model);
        var output = Path.Combine(dir, "export");
        var run = CliRunner.Run("export", "--model", model, "--out", output, "--format", "mlnet", "--batch-size", "4");
        AssertOneLineError(run, "--batch-size", "export --format mlnet --batch-size");
        Assert.False(Directory.Exists(output), "nothing is written for a refused command line");
    }

    private static void AssertOneLineError(CliRun run, string culprit, string what)
    {
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(run.ExitCode == 2, $"{what}: exit code {run.ExitCode}, stderr: {run.Error}");
        Assert.True(lines.Length == 1, $"{what}: one line on stderr expected, got {lines.Length}: {run.Error}");
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(culprit, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", lines[0], StringComparison.Ordinal);
    }
}
