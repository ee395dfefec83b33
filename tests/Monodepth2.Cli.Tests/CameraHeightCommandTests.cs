using System.Text.Json;
using Monodepth2.Data;
using Monodepth2.Evaluation;
using Monodepth2.Networks;
using Monodepth2.Weights;
using static TorchSharp.torch;

namespace Monodepth2.Cli.Tests;

/// <summary>
/// Camera-height scaling through the command line: <c>evaluate --scaling camera-height</c> on the synthetic world's own
/// ground truth at a wrong scale (x 1/7) must come back to metric, and <c>predict --camera-height</c> must report every
/// image and warn, not stay silent, when no road plane exists.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class CameraHeightCommandTests : IDisposable
{
    private const int W = 128;
    private const int H = 64;
    private readonly string dir = Directory.CreateTempSubdirectory("md2-camh-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string P(params string[] parts) => Path.Combine([dir, .. parts]);

    private string Synth()
    {
        var data = P("data");
        var run = CliRunner.Run("synth", data, "--sequences", "3", "--frames", "6", "--width", $"{W}", "--height", $"{H}", "--seed", "4");
        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        return data;
    }

    [Fact]
    public void EvaluateScalesTrueDepthAtAWrongScaleBackToMetres()
    {
        var data = Synth();
        var split = SplitFile.Read(Path.Combine(data, "splits", "test_files.txt"));
        var gt = DepthGroundTruth.FromKittiSplit(data, split);

        // Disparity of the true depth divided by 7 (sky, without ground truth, far away).
        var disparities = new float[split.Count * W * H];
        for (var i = 0; i < split.Count; i++)
        {
            var map = gt.Load(i);
            Assert.Equal((W, H), (map.Width, map.Height));
            for (var k = 0; k < W * H; k++)
            {
                disparities[(i * W * H) + k] = map.Depth[k] > 0 ? 7f / map.Depth[k] : 7f / 1000;
            }
        }

        var npy = P("true-over-7.npy");
        NpyFile.Write(npy, NpyArray.FromFloat32(disparities, split.Count, H, W));

        var json = P("camera-height.json");
        var run = CliRunner.Run("evaluate", "--pred", npy, "--data", data, "--scaling", "camera-height", "--json", json);
        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains("calib_cam_to_cam.txt", run.Output, StringComparison.Ordinal);
        Assert.Contains($"Ground plane found in {split.Count} of {split.Count} images", run.Output, StringComparison.Ordinal);
        using (var doc = JsonDocument.Parse(File.ReadAllText(json)))
        {
            var plane = doc.RootElement.GetProperty("ground_plane");
            Assert.Equal(split.Count, plane.GetProperty("planes_found").GetInt32());
            Assert.InRange(plane.GetProperty("median_ratio_after_scaling").GetDouble(), 0.97, 1.03);
            Assert.InRange(doc.RootElement.GetProperty("abs_rel").GetDouble(), 0, 0.05);
            Assert.Equal(1.65, doc.RootElement.GetProperty("settings").GetProperty("camera_height").GetDouble());
        }

        // A camera said to stand twice as high doubles the depth: the ratio halves. --camera-height implies the mode.
        var doubled = CliRunner.Run("evaluate", "--pred", npy, "--data", data, "--camera-height", "3.3", "--json", json);
        Assert.True(doubled.ExitCode == 0, doubled.Error + doubled.Output);
        using (var doc = JsonDocument.Parse(File.ReadAllText(json)))
        {
            Assert.InRange(doc.RootElement.GetProperty("ground_plane").GetProperty("median_ratio_after_scaling").GetDouble(), 0.485, 0.515);
        }

        // Contradictory or unknown settings are refused with exit code 2.
        Assert.Equal(2, CliRunner.Run("evaluate", "--pred", npy, "--data", data, "--scaling", "camera-height", "--scale-factor", "2").ExitCode);
        Assert.Equal(2, CliRunner.Run("evaluate", "--pred", npy, "--data", data, "--scaling", "median", "--camera-height", "1.65").ExitCode);
        Assert.Equal(2, CliRunner.Run("evaluate", "--pred", npy, "--data", data, "--scaling", "stereo", "--stereo", "false").ExitCode);
        Assert.Equal(2, CliRunner.Run("evaluate", "--pred", npy, "--data", data, "--scaling", "metres").ExitCode);
    }

    [Fact]
    public void PredictWarnsWhenTheDepthHasNoRoadPlane()
    {
        var data = Synth();

        // A model whose decoder is all zeros predicts sigmoid(0) everywhere: a constant depth, i.e. a fronto-parallel wall.
        var model = P("flat-model");
        using (var networks = new MonodepthNetworks(withPose: false))
        {
            using (no_grad())
            {
                foreach (var parameter in networks.Decoder.parameters())
                {
                    parameter.zero_();
                }
            }

            ModelFolder.Save(model, networks, new ModelInfo { Width = W, Height = H });
        }

        var frame = Directory.GetFiles(data, "*.png", SearchOption.AllDirectories).Where(f => f.Contains(Path.Combine("image_02", "data"), StringComparison.Ordinal)).Order(StringComparer.Ordinal).First();
        var output = P("predicted");
        var run = CliRunner.Run("predict", "--model", model, frame, "--out", output, "--camera-height", "1.65");
        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains("warning:", run.Error, StringComparison.Ordinal);
        Assert.Contains("no ground plane", run.Error, StringComparison.Ordinal);
        Assert.Contains(frame, run.Error, StringComparison.Ordinal);

        // The fallback is no scaling: depth = 1 / disparity, written because depth was asked for.
        var stem = Path.Combine(output, Path.GetFileNameWithoutExtension(frame));
        var disparity = NpyFile.Read(stem + "_disp.npy").ToFloat32();
        var depth = NpyFile.Read(stem + "_depth.npy").ToFloat32();
        Assert.Equal(1 / disparity[0], depth[0], 4);
        Assert.Equal(2, CliRunner.Run("predict", "--model", model, frame, "--out", output, "--camera-height", "-1").ExitCode);
    }
}
