using System.Globalization;
using System.Text.Json;
using Monodepth2.Data.Synthetic;
using Monodepth2.Imaging;

namespace Monodepth2.Tests.Data.Synthetic;

public sealed class SyntheticDatasetWriterTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("md2-synth-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static SyntheticWorldOptions Tiny(int seed = 3) => new()
    {
        Width = 64,
        Height = 32,
        Sequences = 2,
        FramesPerSequence = 5,
        Seed = seed,
        Stereo = true,
        TestSequences = 1,
        ValSequences = 0,
    };

    [Fact]
    public void WritesTheKittiRawLayout()
    {
        var root = Path.Combine(dir, "a");
        var reports = new List<int>();
        SyntheticDatasetWriter.Write(root, Tiny(), new SyncProgress(reports));
        Assert.Equal(10, reports.Count);
        Assert.Equal(10, reports.Max());

        foreach (var drive in new[] { "2000_01_01_drive_0001", "2000_01_01_drive_0002" })
        {
            var driveDir = Path.Combine(root, "2000_01_01", drive + "_sync");
            foreach (var cam in new[] { "image_02", "image_03" })
            {
                for (var f = 0; f < 5; f++)
                {
                    var name = f.ToString("D10", CultureInfo.InvariantCulture) + ".png";
                    Assert.Equal((64, 32), ImageFiles.ReadSize(Path.Combine(driveDir, cam, "data", name)));
                    var (depth, w, h) = ImageFiles.ReadDepthPng(Path.Combine(driveDir, "proj_depth", "groundtruth", cam, name));
                    Assert.Equal((64, 32), (w, h));
                    Assert.Contains(depth, d => d > 0);
                    Assert.Contains(depth, d => d == 0); // sky
                }

                Assert.Equal(5, Directory.GetFiles(Path.Combine(driveDir, cam, "data")).Length);
            }

            Assert.Equal(5, File.ReadAllLines(Path.Combine(root, "poses", drive + ".txt")).Length);
        }

        var train = File.ReadAllLines(Path.Combine(root, "splits", "train_files.txt"));
        var val = File.ReadAllLines(Path.Combine(root, "splits", "val_files.txt"));
        var test = File.ReadAllLines(Path.Combine(root, "splits", "test_files.txt"));
        Assert.Equal(
            new[] { "1 l", "1 r", "2 l", "2 r", "3 l", "3 r" }.Select(x => "2000_01_01/2000_01_01_drive_0001_sync " + x),
            train);
        Assert.Empty(val);
        Assert.Equal(Enumerable.Range(0, 5).Select(f => $"2000_01_01/2000_01_01_drive_0002_sync {f} l"), test);
        foreach (var line in train.Concat(test))
        {
            var parts = line.Split(' ');
            var frame = int.Parse(parts[1], CultureInfo.InvariantCulture);
            var cam = parts[2] == "l" ? "image_02" : "image_03";
            Assert.True(File.Exists(Path.Combine(root, parts[0], cam, "data", frame.ToString("D10", CultureInfo.InvariantCulture) + ".png")), line);
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "synthetic.json")));
        var doc = json.RootElement;
        Assert.Equal(3, doc.GetProperty("seed").GetInt32());
        Assert.Equal(64, doc.GetProperty("width").GetInt32());
        Assert.Equal(0.54, doc.GetProperty("baseline").GetDouble());
        Assert.Equal(0.58, doc.GetProperty("intrinsics").GetProperty("fx").GetDouble());
        Assert.Equal(2, doc.GetProperty("drives").GetArrayLength());
        Assert.Equal("test", doc.GetProperty("drives")[1].GetProperty("split").GetString());
    }

    [Fact]
    public void CalibrationMatchesTheIntrinsicsAndBaseline()
    {
        var root = Path.Combine(dir, "c");
        var o = Tiny() with { Width = 100, Height = 40 };
        SyntheticDatasetWriter.Write(root, o);
        var calib = ReadCalib(Path.Combine(root, "2000_01_01", "calib_cam_to_cam.txt"));
        Assert.Equal([100.0, 40.0], calib["S_rect_02"]);
        Assert.Equal([100.0, 40.0], calib["S_rect_03"]);
        var p2 = calib["P_rect_02"];
        var p3 = calib["P_rect_03"];
        Assert.Equal(12, p2.Length);
        var fx = 0.58 * 100;
        double[] expected2 = [fx, 0, 50, 0, 0, 1.92 * 40, 20, 0, 0, 0, 1, 0];
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(expected2[i], p2[i], 6);
            Assert.Equal(i == 3 ? -fx * 0.54 : expected2[i], p3[i], 6);
        }
    }

    [Fact]
    public void PosesFileHoldsOrthonormalCameraToWorldMatricesAtTheSequenceSpeed()
    {
        var root = Path.Combine(dir, "p");
        SyntheticDatasetWriter.Write(root, Tiny());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "synthetic.json")));
        for (var s = 0; s < 2; s++)
        {
            var speed = json.RootElement.GetProperty("drives")[s].GetProperty("speed").GetDouble();
            Assert.InRange(speed, 0.8, 1.2);
            var poses = ReadPoses(Path.Combine(root, "poses", $"2000_01_01_drive_000{s + 1}.txt"));
            Assert.Equal(5, poses.Count);
            for (var r = 0; r < 3; r++)
            {
                for (var c = 0; c < 4; c++)
                {
                    Assert.Equal(r == c ? 1.0 : 0.0, poses[0][r, c], 9);
                }
            }

            for (var f = 0; f < poses.Count; f++)
            {
                var m = poses[f];
                for (var a = 0; a < 3; a++)
                {
                    for (var b = 0; b < 3; b++)
                    {
                        var dot = (m[0, a] * m[0, b]) + (m[1, a] * m[1, b]) + (m[2, a] * m[2, b]);
                        Assert.Equal(a == b ? 1.0 : 0.0, dot, 8);
                    }
                }

                if (f > 0)
                {
                    var p = poses[f - 1];
                    var step = Math.Sqrt(Math.Pow(m[0, 3] - p[0, 3], 2) + Math.Pow(m[1, 3] - p[1, 3], 2) + Math.Pow(m[2, 3] - p[2, 3], 2));
                    Assert.Equal(speed, step, 6);
                }
            }
        }
    }

    [Fact]
    public void RelativePoseReprojectsDepthIntoTheNextFrame()
    {
        // Everything from the files: intrinsics from P_rect_02, depth from the 16-bit PNGs, poses from the poses file.
        var root = Path.Combine(dir, "r");
        var o = Tiny() with { Width = 160, Height = 48, Stereo = false };
        SyntheticDatasetWriter.Write(root, o);
        var p2 = ReadCalib(Path.Combine(root, "2000_01_01", "calib_cam_to_cam.txt"))["P_rect_02"];
        double fx = p2[0], cx = p2[2], fy = p2[5], cy = p2[6];
        var poses = ReadPoses(Path.Combine(root, "poses", "2000_01_01_drive_0001.txt"));
        var gt = Path.Combine(root, "2000_01_01", "2000_01_01_drive_0001_sync", "proj_depth", "groundtruth", "image_02");
        var depths = Enumerable.Range(0, 5).Select(f => ImageFiles.ReadDepthPng(Path.Combine(gt, $"{f:D10}.png"))).ToArray();
        var (agree, total) = Reproject(depths, poses, fx, fy, cx, cy, reversed: false);
        Assert.True(total > 300, $"only {total} informative reprojected pixels");
        Assert.True(agree > 0.85 * total, $"{agree} of {total} reprojected depths agree within 1%");

        // Negative control: the same check with the motion reversed must fail.
        var (wrong, wrongTotal) = Reproject(depths, poses, fx, fy, cx, cy, reversed: true);
        Assert.True(wrong < 0.6 * wrongTotal, $"{wrong} of {wrongTotal} agree even with the motion reversed");
    }

    private static (int Agree, int Total) Reproject(
        (float[] Depth, int Width, int Height)[] depths, List<double[,]> poses, double fx, double fy, double cx, double cy, bool reversed)
    {
        var agree = 0;
        var total = 0;
        for (var i = 0; i + 1 < depths.Length; i++)
        {
            var (d0, w, h) = depths[i];
            var d1 = depths[i + 1].Depth;
            var rel = Multiply(Invert(poses[i + 1]), poses[i]);
            if (reversed)
            {
                rel = Invert(rel);
            }

            // Informative pixels only: above the horizon (road depth depends on the row alone) and where the depth at
            // the same pixel changes by more than 2% between the frames (street-parallel facades barely change under
            // forward motion, so they would agree under almost any forward pose).
            for (var v = 0; v < cy; v++)
            {
                for (var u = 0; u < w; u++)
                {
                    var d = d0[(v * w) + u];
                    var same = d1[(v * w) + u];
                    if (d <= 0 || d > 60 || Math.Abs(same - d) <= 0.02 * d)
                    {
                        continue;
                    }

                    double x = (u - cx) / fx * d, y = (v - cy) / fy * d, z = d;
                    var x1 = (rel[0, 0] * x) + (rel[0, 1] * y) + (rel[0, 2] * z) + rel[0, 3];
                    var y1 = (rel[1, 0] * x) + (rel[1, 1] * y) + (rel[1, 2] * z) + rel[1, 3];
                    var z1 = (rel[2, 0] * x) + (rel[2, 1] * y) + (rel[2, 2] * z) + rel[2, 3];
                    var uf = (fx * x1 / z1) + cx;
                    var vf = (fy * y1 / z1) + cy;
                    var u0 = (int)Math.Floor(uf);
                    var v0 = (int)Math.Floor(vf);
                    if (z1 <= 0 || u0 < 0 || u0 + 1 >= w || v0 < 0 || v0 + 1 >= h)
                    {
                        continue;
                    }

                    // The point lands between four pixel centres of frame i+1: its depth must lie within theirs (1% slack).
                    total++;
                    float[] around = [d1[(v0 * w) + u0], d1[(v0 * w) + u0 + 1], d1[((v0 + 1) * w) + u0], d1[((v0 + 1) * w) + u0 + 1]];
                    if (z1 >= around.Min() * 0.99 && z1 <= around.Max() * 1.01)
                    {
                        agree++;
                    }
                }
            }
        }

        return (agree, total);
    }

    [Fact]
    public void RightImageIsTheLeftShiftedByStereoDisparity()
    {
        var root = Path.Combine(dir, "s");
        var o = Tiny() with { Width = 160, Height = 48 };
        SyntheticDatasetWriter.Write(root, o);
        var calib = ReadCalib(Path.Combine(root, "2000_01_01", "calib_cam_to_cam.txt"));
        var fx = calib["P_rect_02"][0];
        var fxb = -calib["P_rect_03"][3];
        var drive = Path.Combine(root, "2000_01_01", "2000_01_01_drive_0001_sync");
        var left = ImageFiles.ReadRgb(Path.Combine(drive, "image_02", "data", "0000000002.png"));
        var right = ImageFiles.ReadRgb(Path.Combine(drive, "image_03", "data", "0000000002.png"));
        var (depth, w, h) = ImageFiles.ReadDepthPng(Path.Combine(drive, "proj_depth", "groundtruth", "image_02", "0000000002.png"));
        var (rightDepth, _, _) = ImageFiles.ReadDepthPng(Path.Combine(drive, "proj_depth", "groundtruth", "image_03", "0000000002.png"));
        Assert.Equal(fx * 0.54, fxb, 6);

        var plane = w * h;
        double warped = 0, unshifted = 0;
        int count = 0, depthAgree = 0;
        for (var v = 0; v < h; v++)
        {
            for (var u = 0; u < w; u++)
            {
                var d = depth[(v * w) + u];
                if (d <= 0)
                {
                    continue;
                }

                // A left pixel at depth d appears fx * b / d pixels further left in the right image, on the same row.
                var ur = u - (fxb / d);
                if (ur < 0 || ur > w - 1)
                {
                    continue;
                }

                var u0 = (int)Math.Floor(ur);
                var a = ur - u0;
                var u1 = Math.Min(u0 + 1, w - 1);
                for (var c = 0; c < 3; c++)
                {
                    var l = left.Data[(c * plane) + (v * w) + u];
                    var r = ((1 - a) * right.Data[(c * plane) + (v * w) + u0]) + (a * right.Data[(c * plane) + (v * w) + u1]);
                    warped += Math.Abs(l - r);
                    unshifted += Math.Abs(l - right.Data[(c * plane) + (v * w) + u]);
                }

                count++;
                var rd = rightDepth[(v * w) + (int)Math.Round(ur)];
                if (Math.Abs(rd - d) <= 0.02 * d)
                {
                    depthAgree++;
                }
            }
        }

        Assert.True(count > plane / 2, $"only {count} pixels");
        warped /= 3 * count;
        unshifted /= 3 * count;
        Assert.True(warped < 0.04, $"warped right image differs from the left by {warped}");
        Assert.True(warped < 0.5 * unshifted, $"warping by the disparity ({warped}) should beat no warping ({unshifted})");
        Assert.True(depthAgree > 0.85 * count, $"{depthAgree} of {count} right depths agree");
    }

    [Fact]
    public void SameSeedGivesIdenticalFilesAndAnotherSeedDoesNot()
    {
        var a = Path.Combine(dir, "d1");
        var b = Path.Combine(dir, "d2");
        var c = Path.Combine(dir, "d3");
        SyntheticDatasetWriter.Write(a, Tiny());
        SyntheticDatasetWriter.Write(b, Tiny());
        SyntheticDatasetWriter.Write(c, Tiny(seed: 4));
        var files = Files(a);
        Assert.Equal(files, Files(b));
        Assert.Equal(files, Files(c));
        Assert.True(files.Count > 40);
        foreach (var f in files)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(a, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, f))), f);
        }

        var image = Path.Combine("2000_01_01", "2000_01_01_drive_0001_sync", "image_02", "data", "0000000000.png");
        Assert.False(File.ReadAllBytes(Path.Combine(a, image)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(c, image))));

        static List<string> Files(string root) =>
            [.. Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void JpegOptionWritesJpgFrames()
    {
        var root = Path.Combine(dir, "j");
        SyntheticDatasetWriter.Write(root, Tiny() with { Stereo = false, ImageFormat = SyntheticImageFormat.Jpeg });
        var data = Path.Combine(root, "2000_01_01", "2000_01_01_drive_0001_sync", "image_02", "data");
        Assert.Equal(Enumerable.Range(0, 5).Select(f => $"{f:D10}.jpg"), Directory.GetFiles(data).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal((64, 32), ImageFiles.ReadSize(Path.Combine(data, "0000000000.jpg")));
        Assert.False(Directory.Exists(Path.Combine(root, "2000_01_01", "2000_01_01_drive_0001_sync", "image_03")));
    }

    private static Dictionary<string, double[]> ReadCalib(string path) =>
        File.ReadAllLines(path)
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2 && p[0] != "calib_time")
            .ToDictionary(p => p[0], p => p[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray());

    private static List<double[,]> ReadPoses(string path)
    {
        var poses = new List<double[,]>();
        foreach (var line in File.ReadAllLines(path))
        {
            var v = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(12, v.Length);
            var m = new double[4, 4];
            for (var i = 0; i < 12; i++)
            {
                m[i / 4, i % 4] = v[i];
            }

            m[3, 3] = 1;
            poses.Add(m);
        }

        return poses;
    }

    private static double[,] Invert(double[,] m)
    {
        // Rigid transform: [R t]^-1 = [R^T, -R^T t].
        var inv = new double[4, 4];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                inv[r, c] = m[c, r];
            }

            inv[r, 3] = -((m[0, r] * m[0, 3]) + (m[1, r] * m[1, 3]) + (m[2, r] * m[2, 3]));
        }

        inv[3, 3] = 1;
        return inv;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var p = new double[4, 4];
        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                for (var k = 0; k < 4; k++)
                {
                    p[r, c] += a[r, k] * b[k, c];
                }
            }
        }

        return p;
    }

    private sealed class SyncProgress(List<int> reports) : IProgress<int>
    {
        public void Report(int value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
