using System.Text.Json;

namespace Monodepth2.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class CommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("md2-cli-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string P(params string[] parts) => Path.Combine([dir, .. parts]);

    private string Synth(int sequences = 3, int frames = 6)
    {
        var data = P("data");
        var run = CliRunner.Run("synth", data, "--sequences", $"{sequences}", "--frames", $"{frames}", "--width", "128", "--height", "64", "--seed", "4");
        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        return data;
    }

    [Fact]
    public void HelpListsEveryCommand()
    {
        var run = CliRunner.Run("--help");
        Assert.Equal(0, run.ExitCode);
        foreach (var verb in new[] { "demo", "synth", "train", "evaluate", "predict", "export", "info", "selftest" })
        {
            Assert.Contains(verb, run.Output);
        }

        Assert.Equal(0, CliRunner.Run("train", "--help").ExitCode);
    }

    [Fact]
    public void SynthWritesTheKittiLayout()
    {
        var data = Synth();
        Assert.True(File.Exists(Path.Combine(data, "splits", "train_files.txt")));
        Assert.True(File.Exists(Path.Combine(data, "2000_01_01", "calib_cam_to_cam.txt")));
        Assert.Equal(18, Directory.GetFiles(data, "*.png", SearchOption.AllDirectories).Count(f => f.Contains(Path.Combine("image_02", "data"), StringComparison.Ordinal)));
    }

    [Fact]
    public void SynthWritesTheHardWorldAndRefusesUnknownWorlds()
    {
        var data = P("hard");
        var run = CliRunner.Run("synth", data, "--sequences", "3", "--frames", "4", "--width", "64", "--height", "32", "--world", "hard");
        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains("hard world", run.Output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(data, "synthetic.json")));
        var root = json.RootElement;
        Assert.True(root.GetProperty("cameraSway").GetBoolean() && root.GetProperty("varyingSpeed").GetBoolean() && root.GetProperty("varyingLight").GetBoolean()
            && root.GetProperty("plainAsphalt").GetBoolean());
        Assert.Equal(3, root.GetProperty("movingCars").GetInt32());

        var bad = CliRunner.Run("synth", P("bad"), "--world", "sway,rain");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("'rain'", bad.Error);
    }

    [Fact]
    public void SynthRejectsBadOptions()
    {
        var run = CliRunner.Run("synth", P("bad"), "--frames", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("FramesPerSequence", run.Error);
    }

    [Fact]
    public void TrainResumeEvaluateAndInfo()
    {
        var data = Synth();
        var runFolder = P("run");
        string[] common = ["--data", data, "--out", runFolder, "--height", "64", "--width", "128", "--batch-size", "2", "--weights-init", "Scratch", "--no-tensorboard", "--log-frequency", "1"];
        var train = CliRunner.Run(["train", .. common, "--max-steps", "2"]);
        Assert.True(train.ExitCode == 0, train.Error + train.Output);
        Assert.Contains("reached 2 steps", train.Output);
        Assert.Contains("float32, into", train.Output);
        var checkpoint = Path.Combine(runFolder, "models", "weights_last");
        Assert.True(File.Exists(Path.Combine(checkpoint, "encoder.pth")));

        // A float32 checkpoint resumes in mixed precision: checkpoints do not depend on the compute type.
        var resumed = CliRunner.Run(["train", .. common, "--max-steps", "3", "--resume", runFolder, "--precision", "BFloat16"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error + resumed.Output);
        Assert.Contains("bfloat16 mixed precision", resumed.Output);
        Assert.Contains("at step 2", resumed.Output);
        Assert.Contains("after 3 steps", resumed.Output);

        var json = P("metrics.json");
        var saved = P("disp.npy");
        var evaluate = CliRunner.Run("evaluate", "--model", checkpoint, "--data", data, "--json", json, "--save-pred", saved, "--post-process", "--eigen-crop");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error + evaluate.Output);
        Assert.Contains("abs_rel", evaluate.Output);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var absRel = doc.RootElement.GetProperty("abs_rel").GetDouble();
        Assert.True(absRel is > 0 and < 10, $"abs_rel {absRel}");
        Assert.True(doc.RootElement.GetProperty("settings").GetProperty("post_process").GetBoolean());

        // The saved disparities evaluated as external predictions give the same numbers.
        var json2 = P("metrics2.json");
        var external = CliRunner.Run("evaluate", "--pred", saved, "--data", data, "--json", json2, "--eigen-crop");
        Assert.True(external.ExitCode == 0, external.Error + external.Output);
        using var doc2 = JsonDocument.Parse(File.ReadAllText(json2));
        Assert.Equal(absRel, doc2.RootElement.GetProperty("abs_rel").GetDouble(), 9);

        var testDrive = File.ReadAllLines(Path.Combine(data, "splits", "test_files.txt"))[0].Split(' ')[0];
        var pose = CliRunner.Run("evaluate", "pose", "--model", checkpoint, "--data", data, "--sequence", testDrive);
        Assert.True(pose.ExitCode == 0, pose.Error + pose.Output);
        Assert.Contains("Trajectory error", pose.Output);

        // predict: a folder of frames with a point cloud; one broken image among them is reported and the rest written.
        var frames = P("frames");
        Directory.CreateDirectory(frames);
        var sources = Directory.GetFiles(data, "*.png", SearchOption.AllDirectories).Where(f => f.Contains(Path.Combine("image_02", "data"), StringComparison.Ordinal)).Take(2).ToArray();
        File.Copy(sources[0], Path.Combine(frames, "a.png"));
        File.Copy(sources[1], Path.Combine(frames, "b.png"));
        var predicted = P("predicted");
        var predict = CliRunner.Run("predict", "--model", checkpoint, frames, "--out", predicted, "--intrinsics", "0.58", "1.92", "0.5", "0.5");
        Assert.True(predict.ExitCode == 0, predict.Error + predict.Output);
        foreach (var name in new[] { "a_disp.png", "a_disp.npy", "a.ply", "b_disp.png" })
        {
            Assert.True(File.Exists(Path.Combine(predicted, name)), name);
        }

        var disparity = Monodepth2.Evaluation.NpyFile.Read(Path.Combine(predicted, "a_disp.npy"));
        Assert.Equal(new long[] { 64, 128 }, disparity.Shape);
        Assert.Contains("element vertex 8192", File.ReadAllLines(Path.Combine(predicted, "a.ply")));
        File.WriteAllText(Path.Combine(frames, "c.png"), "broken");
        var partial = CliRunner.Run("predict", "--model", checkpoint, Path.Combine(frames, "*.png"), "--out", P("predicted2"));
        Assert.Equal(2, partial.ExitCode);
        Assert.Contains("c.png", partial.Error);
        Assert.True(File.Exists(Path.Combine(P("predicted2"), "b_disp.png")));
        Assert.Equal(2, CliRunner.Run("predict", "--model", checkpoint, P("missing.png")).ExitCode);

        var info = CliRunner.Run("info", checkpoint);
        Assert.True(info.ExitCode == 0, info.Error);
        Assert.Contains("encoder        ResNet-18", info.Output);
        Assert.Contains("pose network   SeparateResnet", info.Output);
        Assert.Contains("depth range    0.1 .. 100", info.Output);
        Assert.Contains("128x64", info.Output);
        Assert.Contains("3,152,724", info.Output);      // the depth decoder's parameters
        Assert.Contains("11,185,920", info.Output);     // the 6-channel pose encoder's

        // export: stand-alone ONNX files and an ML.NET zip; info reads both.
        var exported = P("export");
        var export = CliRunner.Run("export", "--model", checkpoint, "--out", exported, "--output-size", "64", "32");
        Assert.True(export.ExitCode == 0, export.Error + export.Output);
        foreach (var file in new[] { "depth.onnx", "pose.onnx", "depth.zip" })
        {
            Assert.True(File.Exists(Path.Combine(exported, file)), file);
        }

        var onnxInfo = CliRunner.Run("info", Path.Combine(exported, "depth.onnx"));
        Assert.True(onnxInfo.ExitCode == 0, onnxInfo.Error);
        Assert.Contains("input          image Single [batch, 3, 64, 128]", onnxInfo.Output);
        Assert.Contains("output         depth Single [batch, 1, 32, 64]", onnxInfo.Output);
        var zipInfo = CliRunner.Run("info", Path.Combine(exported, "depth.zip"));
        Assert.True(zipInfo.ExitCode == 0, zipInfo.Error);
        Assert.Contains("input column   Path: String", zipInfo.Output);
        Assert.Contains("output column  Depth: Vector<Single, 1, 1, 32, 64> [1, 1, 32, 64]", zipInfo.Output);
        Assert.Contains("OnnxTransformer", zipInfo.Output);
        Assert.Equal(2, CliRunner.Run("export", "--model", P("no-model")).ExitCode);
        Assert.Equal(2, CliRunner.Run("export", "--model", checkpoint, "--output-size", "64").ExitCode);
        var notAModel = P("notes.zip");
        File.WriteAllText(notAModel, "not a zip");
        var badZip = CliRunner.Run("info", notAModel);
        Assert.Equal(2, badZip.ExitCode);
        Assert.Contains("notes.zip", badZip.Error);

        // The trivial baseline through the same protocol.
        var baseline = CliRunner.Run("evaluate", "--baseline", "--data", data);
        Assert.True(baseline.ExitCode == 0, baseline.Error);
        Assert.Contains("constant depth", baseline.Output);
        Assert.Contains("abs_rel", baseline.Output);
        Assert.Equal(2, CliRunner.Run("evaluate", "--baseline", "--model", checkpoint, "--data", data).ExitCode);
    }

    [Fact]
    public void PredictReportsATruncatedJpegAndWritesTheOthers()
    {
        var data = Synth(sequences: 3, frames: 4);
        var runFolder = P("run");
        var train = CliRunner.Run("train", "--data", data, "--out", runFolder, "--height", "64", "--width", "128", "--batch-size", "1",
            "--weights-init", "Scratch", "--no-tensorboard", "--max-steps", "1", "--num-workers", "1");
        Assert.True(train.ExitCode == 0, train.Error + train.Output);
        var model = Path.Combine(runFolder, "models", "weights_last");

        // Three inputs: a PNG, a JPEG cut in half (a broken download: a decoder alone would fill the missing half with
        // grey and succeed), and a whole JPEG after it.
        var frames = Directory.GetFiles(data, "*.png", SearchOption.AllDirectories).Where(f => f.Contains(Path.Combine("image_02", "data"), StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        var inputs = P("inputs");
        Directory.CreateDirectory(inputs);
        var good = Path.Combine(inputs, "good.png");
        File.Copy(frames[0], good);
        var truncated = Path.Combine(inputs, "truncated.jpg");
        Monodepth2.Imaging.ImageFiles.WriteRgbJpeg(Monodepth2.Imaging.ImageFiles.ReadRgb(frames[1]), truncated);
        var bytes = File.ReadAllBytes(truncated);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var good2 = Path.Combine(inputs, "good2.jpg");
        Monodepth2.Imaging.ImageFiles.WriteRgbJpeg(Monodepth2.Imaging.ImageFiles.ReadRgb(frames[2]), good2);

        var output = P("predicted");
        var run = CliRunner.Run("predict", "--model", model, good, truncated, good2, "--out", output);
        Assert.True(run.ExitCode == 2, $"exit code {run.ExitCode}: {run.Error}{run.Output}");
        var errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(errors.Length == 1, run.Error);
        Assert.Contains(truncated, errors[0], StringComparison.Ordinal);
        foreach (var name in new[] { "good_disp.png", "good_disp.npy", "good2_disp.png", "good2_disp.npy" })
        {
            Assert.True(File.Exists(Path.Combine(output, name)), name);
        }

        Assert.False(File.Exists(Path.Combine(output, "truncated_disp.png")));
        Assert.False(File.Exists(Path.Combine(output, "truncated_disp.npy")));
    }

    [Fact]
    public void BadInputGivesClearErrorsAndExitCodes()
    {
        var missing = P("nowhere");
        var train = CliRunner.Run("train", "--data", missing, "--weights-init", "Scratch");
        Assert.Equal(2, train.ExitCode);
        Assert.Contains(missing, train.Error);

        var info = CliRunner.Run("info", missing);
        Assert.Equal(2, info.ExitCode);
        Assert.Contains(missing, info.Error);

        var data = Synth();
        var badModel = P("model");
        Directory.CreateDirectory(badModel);
        File.WriteAllText(Path.Combine(badModel, "encoder.pth"), "not a weight file");
        var evaluate = CliRunner.Run("evaluate", "--model", badModel, "--data", data);
        Assert.Equal(2, evaluate.ExitCode);
        Assert.Contains("encoder.pth", evaluate.Error);
        var badPred = P("bad.npy");
        File.WriteAllText(badPred, "not numpy");
        var pred = CliRunner.Run("evaluate", "--pred", badPred, "--data", data);
        Assert.Equal(2, pred.ExitCode);
        Assert.Contains("bad.npy", pred.Error);

        // An unreadable frame: the error names the file; with --skip-bad-samples the sample is skipped and reported.
        var frame = Directory.GetFiles(data, "0000000002.png", SearchOption.AllDirectories).First(f => f.Contains("image_02", StringComparison.Ordinal) && f.Contains("drive_0001", StringComparison.Ordinal));
        File.WriteAllText(frame, "broken");
        string[] common = ["train", "--data", data, "--out", P("run2"), "--height", "64", "--width", "128", "--batch-size", "1", "--weights-init", "Scratch", "--no-tensorboard", "--max-steps", "4", "--num-workers", "1"];
        var failing = CliRunner.Run(common);
        Assert.Equal(2, failing.ExitCode);
        Assert.Contains("0000000002.png", failing.Error);
        var skipping = CliRunner.Run([.. common, "--skip-bad-samples"]);
        Assert.True(skipping.ExitCode == 0, skipping.Error + skipping.Output);
        Assert.Contains("Skipped", skipping.Output);
        Assert.Contains("0000000002.png", skipping.Output);

        var modality = CliRunner.Run("train", "--data", data, "--modality", "sideways");
        Assert.Equal(2, modality.ExitCode);
        Assert.Equal("error: --modality must be mono, stereo or mono+stereo (got 'sideways').", Assert.Single(modality.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
    }

    [Fact]
    public void DemoRunsAtReducedSize()
    {
        var out_ = P("demo");
        var run = CliRunner.Run("demo", "--out", out_, "--max-steps", "3", "--minutes", "2", "--sequences", "3", "--frames", "6", "--width", "64", "--height", "64");
        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains("constant depth (baseline)", run.Output);
        Assert.Contains("trained network", run.Output);
        Assert.Contains("saved ML.NET model", run.Output);
        Assert.Contains("Pretrained", run.Output); // the ImageNet depth encoder by default
        Assert.True(File.Exists(Path.Combine(out_, "model", "depth.pth")));
        Assert.True(File.Exists(Path.Combine(out_, "depth.zip")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(out_, "pictures"), "*.png"));
        Assert.True(File.Exists(Path.Combine(out_, "report.md")));
    }
}
