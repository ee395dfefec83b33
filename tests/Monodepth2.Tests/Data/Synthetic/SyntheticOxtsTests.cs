using Monodepth2.Data;
using Monodepth2.Data.Synthetic;

namespace Monodepth2.Tests.Data.Synthetic;

public sealed class SyntheticOxtsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("md2-synth-oxts-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void OxtsIntegratesToThePosesFilesTravel()
    {
        var options = new SyntheticWorldOptions { Width = 32, Height = 32, Sequences = 2, FramesPerSequence = 4, Seed = 5, Stereo = false, TestSequences = 1, ValSequences = 0 };
        SyntheticDatasetWriter.Write(dir, options);
        for (var s = 0; s < options.Sequences; s++)
        {
            var drive = Path.Combine(dir, SyntheticDatasetWriter.DriveFolder(options, s));
            var lines = File.ReadAllLines(OxtsFile.TimestampsPath(drive));
            Assert.Equal(["2000-01-01 00:00:00.000000000", "2000-01-01 00:00:00.100000000", "2000-01-01 00:00:00.200000000", "2000-01-01 00:00:00.300000000"], lines);
            Assert.All(Enumerable.Range(0, 4), f => Assert.Equal(30, File.ReadAllText(OxtsFile.DataPath(drive, f)).Split(' ', StringSplitOptions.RemoveEmptyEntries).Length));
            var fromOxts = CameraTravel.FromOxts(drive);
            var fromPoses = CameraTravel.FromPoseFile(KittiRawDataset.PosesPath(dir, SyntheticDatasetWriter.DriveFolder(options, s)));
            for (var f = 0; f + 1 < 4; f++)
            {
                var a = fromOxts.Between(f, f + 1)!.Value;
                var b = fromPoses.Between(f, f + 1)!.Value;
                Assert.True(Math.Abs(a - b) < 1e-6 && b >= options.MinSpeed && b <= options.MaxSpeed, $"sequence {s} frames {f}-{f + 1}: oxts {a} m, poses {b} m");
            }
        }
    }
}
