using Monodepth2.Data;
using Monodepth2.Data.Synthetic;

namespace Monodepth2.Tests.Data.Synthetic;

/// <summary>The harder-street switches: each one's own effect, with exact expectations, and nothing else changed.</summary>
public sealed class HardStreetTests : IDisposable
{
    private const double Degree = Math.PI / 180;

    private readonly string dir = Directory.CreateTempSubdirectory("md2-hard-streets-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static SyntheticWorldOptions Small(int width = 192, int height = 64, int frames = 20) => new()
    {
        Width = width,
        Height = height,
        Sequences = 3,
        FramesPerSequence = frames,
        Seed = 5,
        TestSequences = 1,
        ValSequences = 1,
    };

    [Fact]
    public void EachSwitchLeavesTheStreetAndTheOtherSwitchesAlone()
    {
        // Frame 0 is the identity pose in every world, so the same street must give the same depth there; light and
        // asphalt must not move the camera at all; only the switch's own pixels may change.
        var easy = new SyntheticWorld(Small(), 1);
        var easy0 = easy.RenderFrame(0);
        var easy7 = easy.RenderFrame(7);
        foreach (var name in new[] { "sway", "speed", "light", "asphalt", "cars" })
        {
            var world = new SyntheticWorld(Small().WithWorld(name), 1);
            Assert.Equal(easy.Speed, world.Speed);
            Assert.Equal(easy.StaticBoxCount, world.StaticBoxCount);
            var frame0 = world.RenderFrame(0);
            for (var i = 0; i < frame0.Depth.Length; i++)
            {
                if (frame0.Surface[i] != SurfaceKind.MovingCar)
                {
                    Assert.Equal(easy0.Depth[i], frame0.Depth[i]);
                    Assert.Equal(easy0.ObjectId[i], frame0.ObjectId[i]);
                }
            }

            if (name is "sway" or "speed" or "cars")
            {
                AssertSameImageWhereStatic(easy0, frame0, $"{name}, frame 0");
            }

            if (name is "light" or "asphalt" or "cars")
            {
                Assert.Equal(easy.CameraToWorld(7), world.CameraToWorld(7));
                var frame7 = world.RenderFrame(7);
                Assert.Equal(frame7.Depth.Where((_, i) => frame7.Surface[i] != SurfaceKind.MovingCar), easy7.Depth.Where((_, i) => frame7.Surface[i] != SurfaceKind.MovingCar));
                if (name == "asphalt")
                {
                    // Only the road changes: every pixel that is not ground keeps its colour.
                    var plane = easy7.Depth.Length;
                    for (var i = 0; i < plane; i++)
                    {
                        if (easy7.Surface[i] != SurfaceKind.Ground)
                        {
                            Assert.Equal(easy7.Image.Data[i], frame7.Image.Data[i]);
                        }
                    }
                }
            }
            else
            {
                Assert.NotEqual(easy.CameraToWorld(7), world.CameraToWorld(7));
            }
        }
    }

    [Fact]
    public void SwayingCameraStaysUprightAtItsHeightAndTheRoadDepthFollowsItsPitch()
    {
        var o = Small(191, 63, frames: 60).WithWorld("sway");
        var world = new SyntheticWorld(o, 1);
        double maxPitch = 0, maxYawOffTravel = 0, maxX = 0;
        var pitchiest = 0;
        for (var f = 0; f < world.FrameCount; f++)
        {
            var m = world.CameraToWorld(f);

            // A rotation (orthonormal, det 1) whose x axis stays horizontal (no roll), at the camera's height.
            for (var r = 0; r < 3; r++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var dot = (m[0, r] * m[0, c]) + (m[1, r] * m[1, c]) + (m[2, r] * m[2, c]);
                    Assert.Equal(r == c ? 1 : 0, dot, 12);
                }
            }

            var det = (m[0, 0] * ((m[1, 1] * m[2, 2]) - (m[1, 2] * m[2, 1]))) - (m[0, 1] * ((m[1, 0] * m[2, 2]) - (m[1, 2] * m[2, 0]))) + (m[0, 2] * ((m[1, 0] * m[2, 1]) - (m[1, 1] * m[2, 0])));
            Assert.Equal(1, det, 12);
            Assert.Equal(0, m[1, 0]);
            Assert.Equal(0, m[1, 3]);
            var pitch = Math.Abs(Math.Atan2(-m[1, 2], m[1, 1]));
            if (pitch > maxPitch)
            {
                (maxPitch, pitchiest) = (pitch, f);
            }

            maxX = Math.Max(maxX, Math.Abs(m[0, 3]));
            if (f + 1 < world.FrameCount)
            {
                var next = world.CameraToWorld(f + 1);
                var travel = Math.Atan2(next[0, 3] - m[0, 3], next[2, 3] - m[2, 3]);
                maxYawOffTravel = Math.Max(maxYawOffTravel, Math.Abs(Math.Atan2(m[0, 2], m[2, 2]) - travel));
            }
        }

        Assert.InRange(maxPitch, 0.2 * Degree, 1.2 * Degree);
        Assert.InRange(maxYawOffTravel, 0.3 * Degree, 6 * Degree);
        Assert.InRange(maxX, 0.2, 1.3);

        // Road depth at the pitchiest frame: the ray R [du dv 1] meets the plane y = h at z-depth (h - t_y) / (R [du dv 1])_y.
        // The pitch-free formula h fy / (v - cy) must be visibly wrong there, or the pitch would not have been rendered.
        var frame = world.RenderFrame(pitchiest);
        var pose = world.CameraToWorld(pitchiest);
        double fx = o.Intrinsics.Fx * o.Width, fy = o.Intrinsics.Fy * o.Height, cx = o.Intrinsics.Cx * o.Width, cy = o.Intrinsics.Cy * o.Height;
        int ground = 0, pitchFreeWrong = 0;
        for (var v = 0; v < o.Height; v++)
        {
            for (var u = 0; u < o.Width; u++)
            {
                var i = (v * o.Width) + u;
                if (frame.Surface[i] != SurfaceKind.Ground)
                {
                    continue;
                }

                var rayY = (pose[1, 0] * (u - cx) / fx) + (pose[1, 1] * (v - cy) / fy) + pose[1, 2];
                var expected = (o.CameraHeight - pose[1, 3]) / rayY;
                Assert.True(Math.Abs(frame.Depth[i] - expected) <= 1e-5 * expected, $"({u}, {v}): depth {frame.Depth[i]}, the pitched road gives {expected}");
                ground++;
                if (Math.Abs((o.CameraHeight * fy / (v - cy)) - expected) > 0.01 * expected)
                {
                    pitchFreeWrong++;
                }
            }
        }

        Assert.True(ground > o.Width * o.Height / 6, $"only {ground} road pixels");
        Assert.True(pitchFreeWrong > ground / 2, $"the pitch-free road depth is off by 1 % at only {pitchFreeWrong} of {ground} pixels");
    }

    [Fact]
    public void StopsHoldTheCameraExactlyStillAndTheFrameRepeats()
    {
        var o = Small(96, 32, frames: 100).WithWorld("speed,cars");
        var stillPairs = 0;
        double maxStep = 0, cruise = 0;
        for (var s = 0; s < o.Sequences; s++)
        {
            var world = new SyntheticWorld(o, s);
            cruise = Math.Max(cruise, world.Speed);
            for (var f = 0; f + 1 < world.FrameCount; f++)
            {
                var a = world.CameraToWorld(f);
                var b = world.CameraToWorld(f + 1);
                var step = Math.Sqrt(Math.Pow(b[0, 3] - a[0, 3], 2) + Math.Pow(b[2, 3] - a[2, 3], 2));
                maxStep = Math.Max(maxStep, step / world.Speed);
                if (step > 0)
                {
                    continue;
                }

                // Exactly still: the same pose, the speedometer at 0 inside the stop, the same picture and depth except
                // where a car drives by.
                Assert.Equal(a, b);
                if (f > 0 && world.CameraToWorld(f - 1)[2, 3] == a[2, 3])
                {
                    Assert.Equal(0, world.SpeedAt(f));
                }

                if (stillPairs++ < 2)
                {
                    var x = world.RenderFrame(f);
                    var y = world.RenderFrame(f + 1);
                    AssertSameImageWhereStatic(x, y, $"sequence {s}, frames {f}-{f + 1}");
                }
            }
        }

        Assert.True(stillPairs >= 5, $"only {stillPairs} still frame pairs in {o.Sequences} x {o.FramesPerSequence} frames");
        Assert.InRange(maxStep, 1.0, 1.31); // speed levels reach 0.4-1.3 times the cruise speed
    }

    [Fact]
    public void OxtsSpeedsIntegrateToThePosesTravelWhenSpeedVariesAndTheCameraSways()
    {
        var options = Small(32, 32, frames: 100).WithWorld("speed,sway") with { ValSequences = 0 };
        SyntheticDatasetWriter.Write(dir, options);
        var stopped = 0;
        double totalOxts = 0, totalPoses = 0;
        for (var s = 0; s < options.Sequences; s++)
        {
            var drive = SyntheticDatasetWriter.DriveFolder(options, s);
            var fromOxts = CameraTravel.FromOxts(Path.Combine(dir, drive));
            var fromPoses = CameraTravel.FromPoseFile(KittiRawDataset.PosesPath(dir, drive));
            for (var f = 0; f + 1 < options.FramesPerSequence; f++)
            {
                var a = fromOxts.Between(f, f + 1)!.Value;
                var b = fromPoses.Between(f, f + 1)!.Value;
                (totalOxts, totalPoses) = (totalOxts + a, totalPoses + b);
                stopped += b == 0 ? 1 : 0;

                // The trapezoid rule on instantaneous speeds against the chord: a few per cent where the car brakes or
                // accelerates (15-frame ramps), exact at constant speed.
                Assert.True(Math.Abs(a - b) <= (0.05 * b) + 0.005, $"sequence {s} frames {f}-{f + 1}: oxts {a} m, poses {b} m");
                Assert.True(b > 0 || a == 0, $"sequence {s} frames {f}-{f + 1}: the camera stands still but oxts travels {a} m");
            }
        }

        Assert.True(stopped > 0, "no stop in the sequences: the zero-travel case was not checked");
        Assert.True(Math.Abs(totalOxts - totalPoses) <= 0.005 * totalPoses, $"oxts travel {totalOxts} m against the poses' {totalPoses} m");
    }

    [Fact]
    public void LightScalesTheSkyByTheExposureAndTheRoadByExposureAndSun()
    {
        // Sky is unlit: its colour scales by the exposure alone. The road has one normal: its colour scales by the
        // exposure times the ratio of the two worlds' (ambient + diffuse cos) light, the same for every road pixel, and
        // unequal to the sky's ratio unless the sun strength happens to be unchanged.
        var easy = new SyntheticWorld(Small(), 0).RenderFrame(4);
        var lit = new SyntheticWorld(Small().WithWorld("light"), 0);
        Assert.NotEqual(1.0, lit.Exposure);
        Assert.NotEqual(lit.Exposure, new SyntheticWorld(Small().WithWorld("light"), 1).Exposure);
        var frame = lit.RenderFrame(4);
        var sky = new List<double>();
        var road = new List<double>();
        for (var i = 0; i < frame.Image.Data.Length; i++)
        {
            var kind = frame.Surface[i % frame.Depth.Length];
            var (a, b) = (easy.Image.Data[i], frame.Image.Data[i]);
            if (a > 0.02 && b < 0.999)
            {
                (kind == SurfaceKind.Sky ? sky : kind == SurfaceKind.Ground ? road : []).Add(b / a);
            }
        }

        Assert.True(sky.Count > 100 && road.Count > 100, $"{sky.Count} sky and {road.Count} road samples");
        Assert.All(sky, r => Assert.Equal(lit.Exposure, r, 1e-5 * 8));
        var roadRatio = road.Average();
        Assert.All(road, r => Assert.True(Math.Abs(r - roadRatio) <= 1e-5 * 8 * roadRatio, $"road ratio {r} against {roadRatio}"));
        Assert.True(Math.Abs(roadRatio - lit.Exposure) > 0.01, $"road ratio {roadRatio} equals the exposure {lit.Exposure}: the sun strength did not change");
    }

    [Fact]
    public void PlainAsphaltHasNoMarkingsAndOnlyAFaintGrain()
    {
        var o = Small(320, 96);
        var textured = new SyntheticWorld(o, 1).RenderFrame(3);
        var plain = new SyntheticWorld(o.WithWorld("asphalt"), 1).RenderFrame(3);

        // The road is where the two differ (sidewalks and yards are the same ground kind and stay unchanged).
        var n = o.Width * o.Height;
        var roadTextured = new List<double>();
        var roadPlain = new List<double>();
        for (var i = 0; i < n; i++)
        {
            if (plain.Surface[i] == SurfaceKind.Ground && plain.Image.Data[i] != textured.Image.Data[i])
            {
                roadTextured.Add(Grey(textured, i, n));
                roadPlain.Add(Grey(plain, i, n));
            }
        }

        Assert.True(roadPlain.Count > n / 10, $"only {roadPlain.Count} road pixels");
        Assert.True(roadTextured.Max() > 0.55, $"the textured road shows no markings (brightest {roadTextured.Max()})");
        Assert.True(roadPlain.Max() < 0.5, $"the plain road has a marking-bright pixel ({roadPlain.Max()})");
        Assert.True(Std(roadPlain) < 0.25 * Std(roadTextured), $"plain road contrast {Std(roadPlain)} against textured {Std(roadTextured)}");

        static double Grey(SyntheticFrame f, int i, int n) => (f.Image.Data[i] + f.Image.Data[n + i] + f.Image.Data[(2 * n) + i]) / 3.0;
        static double Std(List<double> x) => Math.Sqrt(x.Select(v => (v - x.Average()) * (v - x.Average())).Average());
    }

    [Fact]
    public void MovingCarsSitWhereTheirOwnSpeedTakesThem()
    {
        // Each moving-car pixel on a face with normal z or x lies on that face's plane where the car is at this frame:
        // z-depth = (plane - camera z) / ray z (or the same along x), with the ray R [du dv 1] from the pose.
        var o = Small(192, 64, frames: 30).WithWorld("cars,sway");
        var world = new SyntheticWorld(o, 0);
        Assert.Equal(SyntheticWorldOptions.HardMovingCars, world.MovingCarCount);
        double fx = o.Intrinsics.Fx * o.Width, fy = o.Intrinsics.Fy * o.Height, cx = o.Intrinsics.Cx * o.Width, cy = o.Intrinsics.Cy * o.Height;
        var checkedPixels = 0;
        var cars = new HashSet<int>();
        foreach (var f in new[] { 0, 12, 25 })
        {
            var frame = world.RenderFrame(f);
            var m = world.CameraToWorld(f);
            for (var v = 0; v < o.Height; v++)
            {
                for (var u = 0; u < o.Width; u++)
                {
                    var i = (v * o.Width) + u;
                    var id = frame.ObjectId[i] - world.StaticBoxCount;
                    Assert.Equal(id >= 0, frame.Surface[i] == SurfaceKind.MovingCar);
                    if (id < 0 || id % 2 != 0)
                    {
                        continue; // not a car body
                    }

                    var (min, max, velocity) = world.MovingCarAt(id / 2, f);
                    Assert.True(Math.Abs(velocity) >= 0.5 * o.MinSpeed, $"car {id / 2} crawls at {velocity} m per frame");
                    Assert.Equal(world.MovingCarAt(id / 2, 0).Min[2] + (velocity * f), min[2], 9);
                    double du = (u - cx) / fx, dv = (v - cy) / fy;
                    var ray = new double[3];
                    for (var r = 0; r < 3; r++)
                    {
                        ray[r] = (m[r, 0] * du) + (m[r, 1] * dv) + m[r, 2];
                    }

                    var (axis, planeAt) = frame.Face[i] switch
                    {
                        BoxFace.NegativeZ => (2, min[2]),
                        BoxFace.PositiveZ => (2, max[2]),
                        BoxFace.NegativeX => (0, min[0]),
                        BoxFace.PositiveX => (0, max[0]),
                        _ => (-1, 0.0),
                    };
                    if (axis < 0)
                    {
                        continue;
                    }

                    var expected = (planeAt - m[axis, 3]) / ray[axis];
                    Assert.True(Math.Abs(frame.Depth[i] - expected) <= 1e-5 * expected, $"frame {f} ({u}, {v}) car {id / 2} {frame.Face[i]}: depth {frame.Depth[i]}, its face is at {expected}");
                    checkedPixels++;
                    cars.Add(id / 2);
                }
            }
        }

        Assert.True(checkedPixels > 200 && cars.Count >= 2, $"checked {checkedPixels} pixels of {cars.Count} cars");
    }

    [Fact]
    public void TrueWarpReconstructsTheHardWorldExceptTheMovingCars()
    {
        // Every switch on. Static pixels warp back with true depth and pose as in the easy world (exposure is constant
        // along a street); the moving cars' own pixels do not, since they moved between the frames.
        var o = Small(192, 64, frames: 30).WithHardStreets();
        var world = new SyntheticWorld(o, 0);
        double staticError = 0, staticStill = 0, carError = 0;
        int staticCount = 0, carCount = 0;
        for (var i = 10; i < 14; i++)
        {
            var (w, s, n) = TrueWarp.Errors(world, i, kind => kind != SurfaceKind.MovingCar);
            (staticError, staticStill, staticCount) = (staticError + (w * n), staticStill + (s * n), staticCount + n);
            var (cw, _, cn) = TrueWarp.Errors(world, i, kind => kind == SurfaceKind.MovingCar);
            (carError, carCount) = (carError + (cw * cn), carCount + cn);
        }

        staticError /= staticCount;
        staticStill /= staticCount;
        carError /= carCount;
        Assert.True(staticCount > 2 * o.Width * o.Height, $"only {staticCount} static pixels");
        Assert.True(carCount > 100, $"only {carCount} moving-car pixels");
        Assert.True(staticError < 0.035, $"static warped error {staticError}");
        Assert.True(staticError < 0.5 * staticStill, $"static warped error {staticError} against unwarped {staticStill}");
        Assert.True(carError > 2 * staticError, $"moving cars warp as well as static pixels ({carError} against {staticError})");
    }

    private static void AssertSameImageWhereStatic(SyntheticFrame a, SyntheticFrame b, string what)
    {
        var n = a.Depth.Length;
        var compared = 0;
        for (var i = 0; i < n; i++)
        {
            if (a.Surface[i] == SurfaceKind.MovingCar || b.Surface[i] == SurfaceKind.MovingCar)
            {
                continue;
            }

            compared++;
            Assert.Equal(a.Depth[i], b.Depth[i]);
            for (var c = 0; c < 3; c++)
            {
                Assert.True(a.Image.Data[(c * n) + i] == b.Image.Data[(c * n) + i], $"{what}: pixel {i} channel {c} differs");
            }
        }

        Assert.True(compared > n / 2, $"{what}: only {compared} static pixels");
    }
}
