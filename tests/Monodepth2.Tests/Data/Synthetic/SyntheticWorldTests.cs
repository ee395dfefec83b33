using Monodepth2.Data.Synthetic;
using Monodepth2.Geometry;

namespace Monodepth2.Tests.Data.Synthetic;

public sealed class SyntheticWorldTests
{
    private static SyntheticWorldOptions Small(int width = 192, int height = 64) => new()
    {
        Width = width,
        Height = height,
        Sequences = 3,
        FramesPerSequence = 20,
        Seed = 5,
        TestSequences = 1,
        ValSequences = 1,
    };

    [Fact]
    public void GroundPixelsHaveTheAnalyticFlatRoadDepth()
    {
        var o = Small(191, 63); // odd size: the principal point falls between pixel centres
        var world = new SyntheticWorld(o, 1);
        var frame = world.RenderFrame(7); // a frame with some yaw: yaw about the vertical axis must not change road depth

        // Independent of the renderer: a ray through row v meets the plane y = h (camera frame, y down) at
        // z = h * fy / (v - cy), whatever the column and the yaw.
        var fy = o.Intrinsics.Fy * o.Height;
        var cy = o.Intrinsics.Cy * o.Height;
        var ground = 0;
        for (var v = 0; v < o.Height; v++)
        {
            for (var u = 0; u < o.Width; u++)
            {
                var i = (v * o.Width) + u;
                var d = frame.Depth[i];
                if (v <= cy)
                {
                    Assert.NotEqual(SurfaceKind.Ground, frame.Surface[i]);
                    continue;
                }

                var expected = o.CameraHeight * fy / (v - cy);
                if (frame.Surface[i] == SurfaceKind.Ground)
                {
                    ground++;
                    Assert.True(Math.Abs(d - expected) <= 1e-5 * expected, $"({u}, {v}): depth {d}, flat road gives {expected}");
                }
                else
                {
                    // Anything else below the horizon stands on the road, so it must be nearer than the road behind it.
                    Assert.True(d > 0 && d <= expected * (1 + 1e-5), $"({u}, {v}): {frame.Surface[i]} at {d} m behind the road at {expected} m");
                }
            }
        }

        Assert.True(ground > o.Width * o.Height / 6, $"only {ground} road pixels");
    }

    [Fact]
    public void BoxFacesAreAnalyticPlanesInTheFirstFrame()
    {
        // Frame 0 is the identity pose: a face looking back at the camera (normal -z) is seen head-on, so its z-depth is
        // constant; a street-parallel facade (normal +-x) is the plane X = const, so depth * (u - cx) / fx is constant.
        var o = Small(320, 96);
        var world = new SyntheticWorld(o, 0);
        var frame = world.RenderFrame(0);
        var fx = o.Intrinsics.Fx * o.Width;
        var cx = o.Intrinsics.Cx * o.Width;
        var headOn = new Dictionary<int, (double Min, double Max, int Count)>();
        var sides = new Dictionary<int, (double Min, double Max, int Count)>();
        for (var v = 0; v < o.Height; v++)
        {
            for (var u = 0; u < o.Width; u++)
            {
                var i = (v * o.Width) + u;
                var d = (double)frame.Depth[i];
                switch (frame.Face[i])
                {
                    case BoxFace.NegativeZ:
                        Add(headOn, frame.ObjectId[i], d);
                        break;
                    case BoxFace.NegativeX or BoxFace.PositiveX:
                        Add(sides, frame.ObjectId[i], d * (u - cx) / fx);
                        break;
                }
            }
        }

        Assert.True(headOn.Values.Sum(x => x.Count) > 100, "too few head-on pixels");
        Assert.True(sides.Values.Sum(x => x.Count) > 1000, "too few facade pixels");
        foreach (var (id, (min, max, _)) in headOn)
        {
            Assert.True(max - min <= 1e-5 * max, $"box {id}: head-on depth varies from {min} to {max}");
        }

        foreach (var (id, (min, max, _)) in sides)
        {
            Assert.True(max - min <= 1e-4 * Math.Max(1, Math.Abs(max)), $"box {id}: facade x varies from {min} to {max}");
        }

        static void Add(Dictionary<int, (double Min, double Max, int Count)> map, int id, double value)
        {
            var (min, max, count) = map.GetValueOrDefault(id, (double.MaxValue, double.MinValue, 0));
            map[id] = (Math.Min(min, value), Math.Max(max, value), count + 1);
        }
    }

    [Fact]
    public void SkyHasZeroDepthAndEverythingElsePositiveDepth()
    {
        var world = new SyntheticWorld(Small(), 2);
        var frame = world.RenderFrame(3);
        Assert.Contains(SurfaceKind.Sky, frame.Surface);
        Assert.Contains(SurfaceKind.Building, frame.Surface);
        Assert.Contains(SurfaceKind.Obstacle, frame.Surface);
        for (var i = 0; i < frame.Depth.Length; i++)
        {
            Assert.Equal(frame.Surface[i] == SurfaceKind.Sky, frame.Depth[i] == 0);
            Assert.True(frame.Depth[i] >= 0 && float.IsFinite(frame.Depth[i]));
        }

        Assert.All(frame.Image.Data, x => Assert.InRange(x, 0f, 1f));
    }

    [Fact]
    public void PosesStepAtTheSequenceSpeedAndStartAtIdentity()
    {
        var o = Small();
        var world = new SyntheticWorld(o, 1);
        Assert.InRange(world.Speed, o.MinSpeed, o.MaxSpeed);
        var first = world.CameraToWorld(0);
        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                Assert.Equal(r == c ? 1.0 : 0.0, first[r, c], 12);
            }
        }

        var maxYaw = 0.0;
        for (var f = 1; f < world.FrameCount; f++)
        {
            var a = world.CameraToWorld(f - 1);
            var b = world.CameraToWorld(f);
            var step = Math.Sqrt(Math.Pow(b[0, 3] - a[0, 3], 2) + Math.Pow(b[1, 3] - a[1, 3], 2) + Math.Pow(b[2, 3] - a[2, 3], 2));
            Assert.Equal(world.Speed, step, 9);
            Assert.True(b[2, 3] > a[2, 3], "the camera drives forward");
            maxYaw = Math.Max(maxYaw, Math.Abs(Math.Atan2(b[0, 2], b[2, 2])));
            Assert.InRange(b[0, 3], -1.0, 1.0); // weaving stays within the lane
            Assert.Equal(0.0, b[1, 3], 12); // no height change on the flat road

            // The right camera is the left one moved by the baseline along its own x axis.
            var right = world.CameraToWorld(f, rightCamera: true);
            for (var r = 0; r < 3; r++)
            {
                Assert.Equal(b[r, 3] + (o.Baseline * b[r, 0]), right[r, 3], 12);
            }
        }

        Assert.InRange(maxYaw, 1e-3, 0.1);
    }

    [Fact]
    public void RenderingIsDeterministicAndSequencesDiffer()
    {
        var o = Small(96, 32);
        var a = new SyntheticWorld(o, 0).Render(4);
        var b = new SyntheticWorld(o, 0).Render(4);
        var c = new SyntheticWorld(o, 1).Render(4);
        var d = new SyntheticWorld(o with { Seed = 6 }, 0).Render(4);
        Assert.Equal(a.Image.Data, b.Image.Data);
        Assert.Equal(a.Depth, b.Depth);
        Assert.NotEqual(a.Image.Data, c.Image.Data);
        Assert.NotEqual(a.Image.Data, d.Image.Data);
    }

    [Fact]
    public void NextFrameWarpedWithTrueDepthAndPoseReconstructsTheFrame()
    {
        // What Monodepth2 trains on: frame i+1 sampled where frame i's pixels land (true depth, true relative pose)
        // should reproduce frame i, since the shading does not depend on the viewpoint; without the warp it does not.
        var o = Small(192, 64);
        var world = new SyntheticWorld(o, 0);
        double warped = 0, still = 0;
        var count = 0;
        for (var i = 5; i < 8; i++)
        {
            var (w, s, n) = TrueWarp.Errors(world, i, _ => true);
            warped += w * n;
            still += s * n;
            count += n;
        }

        warped /= count;
        still /= count;
        Assert.True(count > 3 * o.Width * o.Height / 2, $"only {count} warped pixels");
        Assert.True(warped < 0.035, $"warped reconstruction error {warped}");
        Assert.True(warped < 0.5 * still, $"warped error {warped} should be well under the unwarped {still}");
    }

    [Fact]
    public void SupersamplingSmoothsColourButKeepsTheCentreRayTruth()
    {
        var o = Small(96, 32);
        var plain = new SyntheticWorld(o, 0).RenderFrame(4);
        var smooth = new SyntheticWorld(o with { Supersampling = 3 }, 0).RenderFrame(4);
        Assert.Equal(plain.Depth, smooth.Depth);
        Assert.Equal(plain.ObjectId, smooth.ObjectId);
        var diff = plain.Image.Data.Zip(smooth.Image.Data, (a, b) => Math.Abs(a - b)).Average();
        Assert.InRange(diff, 1e-4, 0.05);
    }

    [Theory]
    [InlineData(640, 192, 0.012)]
    [InlineData(192, 64, 0.022)]
    public void FramesCarryHighFrequencyTextureWithoutBeingNoise(int width, int height, double minGradient)
    {
        // Mean |I(u+1, v) - I(u, v)| of the grey image. Measured on this generator (seed 5, three streets, frames 0, 10
        // and 19): textured renders give 0.018-0.025 at 640x192 and 0.030-0.041 at 192x64, while the same scenes with
        // every texture switched off (flat colours; only object edges and shading steps left) give at most 0.007 and
        // 0.018. The thresholds sit well above the untextured values, so they fail if texture detail is lost (or
        // band-limited away at small sizes); the upper bound 0.15 (uniform white noise gives 1/3) fails if the textures
        // alias into pixel noise.
        var world = new SyntheticWorld(Small(width, height) with { Intrinsics = Intrinsics.Kitti }, 0);
        var image = world.Render(10).Image;
        var plane = width * height;
        var sum = 0.0;
        for (var v = 0; v < height; v++)
        {
            for (var u = 0; u + 1 < width; u++)
            {
                var i = (v * width) + u;
                var g0 = (image.Data[i] + image.Data[plane + i] + image.Data[(2 * plane) + i]) / 3;
                var g1 = (image.Data[i + 1] + image.Data[plane + i + 1] + image.Data[(2 * plane) + i + 1]) / 3;
                sum += Math.Abs(g1 - g0);
            }
        }

        var mean = sum / ((width - 1) * height);
        Assert.InRange(mean, minGradient, 0.15);
    }
}
