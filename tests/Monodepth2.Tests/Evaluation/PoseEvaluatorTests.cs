using Monodepth2.Evaluation;

namespace Monodepth2.Tests.Evaluation;

/// <summary>The reference's ATE over 5-frame snippets, against hand-computed snippets.</summary>
public sealed class PoseEvaluatorTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("md2-pose-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static Point3[] Line(double step, int n = 5) => Enumerable.Range(0, n).Select(k => new Point3(0, 0, k * step)).ToArray();

    [Fact]
    public void HalfScaleStraightLineHasZeroAte()
    {
        // scale = sum(gt . pred) / sum(pred^2) = 2 brings the prediction onto the ground truth.
        Assert.Equal(0, PoseEvaluator.ComputeAte(Line(1), Line(0.5)), 12);
    }

    [Fact]
    public void KnownOffsetGivesHandDerivedAte()
    {
        // gt z = 0..4; prediction the same but the last point moved 1 m sideways, and everything shifted by (5, 5, 5),
        // which the first-point alignment removes. scale = (0 + 1 + 4 + 9 + 16) / (30 + 1) = 30/31;
        // errors: (0, 0, -k/31) for k = 0..3 and (30/31, 0, -4/31): sum of squares (14 + 900 + 16) / 961 = 30/31.
        var gt = Line(1);
        var pred = Line(1).Select(p => new Point3(p.X + 5, p.Y + 5, p.Z + 5)).ToArray();
        pred[4] = new Point3(6, 5, 9);
        Assert.Equal(Math.Sqrt(30.0 / 31) / 5, PoseEvaluator.ComputeAte(gt, pred), 12);
    }

    [Fact]
    public void DumpXyzChainsFromTheOrigin()
    {
        // A 90-degree yaw then a step forward: the second translation is rotated by the first transform.
        var yaw = Matrix4.Identity();
        yaw[0, 0] = 0;
        yaw[0, 2] = 1;
        yaw[2, 0] = -1;
        yaw[2, 2] = 0;
        yaw[2, 3] = 1;
        var xyz = PoseEvaluator.DumpXyz([yaw, Matrix4.Translation(0, 0, 2)]);
        Assert.Equal(new Point3(0, 0, 0), xyz[0]);
        Assert.Equal(new Point3(0, 0, 1), xyz[1]);
        Assert.Equal(new Point3(2, 0, 1), xyz[2]);
    }

    [Fact]
    public void LocalPosesAreHandDerivedRelativePoses()
    {
        // G0: 90-degree rotation about z, camera at (1, 0, 0); G1: no rotation, camera at (1, 0, 2); G2: no rotation,
        // camera at (4, 5, 6). The reference's local pose is inv(inv(G(i-1)) G(i)) = inv(G(i)) G(i-1):
        // inv(G1) G0 = [R0, t0 - t1] = [R0, (0, 0, -2)]; inv(G2) G1 = translation t1 - t2 = (-3, -5, -4).
        double[,] g0 = { { 0, -1, 0, 1 }, { 1, 0, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } };
        double[,] g1 = { { 1, 0, 0, 1 }, { 0, 1, 0, 0 }, { 0, 0, 1, 2 }, { 0, 0, 0, 1 } };
        double[,] g2 = { { 1, 0, 0, 4 }, { 0, 1, 0, 5 }, { 0, 0, 1, 6 }, { 0, 0, 0, 1 } };
        double[,] local0 = { { 0, -1, 0, 0 }, { 1, 0, 0, 0 }, { 0, 0, 1, -2 }, { 0, 0, 0, 1 } };
        double[,] local1 = { { 1, 0, 0, -3 }, { 0, 1, 0, -5 }, { 0, 0, 1, -4 }, { 0, 0, 0, 1 } };
        var local = PoseEvaluator.LocalPoses([g0, g1, g2]);
        Assert.Equal(2, local.Count);
        foreach (var (actual, expected) in local.Zip([local0, local1]))
        {
            for (var r = 0; r < 4; r++)
            {
                for (var c = 0; c < 4; c++)
                {
                    Assert.True(Math.Abs(expected[r, c] - actual[r, c]) < 1e-12, $"[{r}, {c}]: expected {expected[r, c]}, got {actual[r, c]}");
                }
            }
        }
    }

    private static List<double[,]> CurvedTrajectory(int n)
    {
        var poses = new List<double[,]>();
        for (var i = 0; i < n; i++)
        {
            var a = 0.1 * i;
            var m = Matrix4.Identity();
            m[0, 0] = Math.Cos(a);
            m[0, 2] = Math.Sin(a);
            m[2, 0] = -Math.Sin(a);
            m[2, 2] = Math.Cos(a);
            m[0, 3] = 3 * Math.Sin(a);
            m[1, 3] = 0.05 * i;
            m[2, 3] = 1.3 * i;
            poses.Add(m);
        }

        return poses;
    }

    [Fact]
    public void GroundTruthRelativePosesAtAnotherScaleGiveZeroAteOnEverySnippet()
    {
        var gt = CurvedTrajectory(9);
        var path = Path.Combine(dir, "poses", "09.txt");
        KittiPoseFile.Write(path, gt);
        var predicted = RigidPoses.Relative(gt, translationScale: 0.3);

        var result = PoseEvaluator.Evaluate(predicted, path);
        // Like the reference: a snippet starts at every frame 0 .. N - 2, the last ones shorter.
        Assert.Equal(8, result.Snippets);
        Assert.All(result.Ates, a => Assert.True(a < 1e-9, $"ATE {a}"));
        Assert.Contains("Trajectory error: 0.000, std: 0.000", result.ToText());
        Assert.Equal(5, PoseEvaluator.Evaluate(predicted, gt, fullSnippetsOnly: true).Snippets);

        // A wrong prediction gives a positive error.
        predicted[2] = Matrix4.Translation(1, 0, 0);
        Assert.True(PoseEvaluator.Evaluate(predicted, gt).AteMean > 0.01);
    }

    [Fact]
    public void MalformedPoseLinesAndCountMismatchGiveClearErrors()
    {
        var path = Path.Combine(dir, "bad.txt");
        File.WriteAllLines(path, ["1 0 0 0 0 1 0 0 0 0 1 0", "1 0 0 0 0 1 0 0 0 0 1 1", "1 0 0 0 0 1 0 0 0 0 1"]);
        var ex = Assert.Throws<InvalidDataException>(() => KittiPoseFile.Read(path));
        Assert.Contains($"{path}:3", ex.Message);
        Assert.Contains("got 11", ex.Message);

        File.WriteAllLines(path, ["1 0 0 0 0 1 0 0 0 0 1 x"]);
        Assert.Contains($"{path}:1", Assert.Throws<InvalidDataException>(() => KittiPoseFile.Read(path)).Message);

        var gt = CurvedTrajectory(6);
        var mismatch = Assert.Throws<ArgumentException>(() => PoseEvaluator.Evaluate(Enumerable.Range(0, 3).Select(_ => Matrix4.Identity()).ToList(), gt));
        Assert.Contains("3 predicted", mismatch.Message);
        Assert.Contains("expected 5", mismatch.Message);
    }

    [Fact]
    public void PoseFileParsesToHomogeneousMatrices()
    {
        var poses = KittiPoseFile.Parse(["1 2 3 4 5 6 7 8 9 10 11 12", "", "1e0 0 0 -1.5e-1 0 1 0 0 0 0 1 2"], "x.txt");
        Assert.Equal(2, poses.Count);
        Assert.Equal(12, poses[0][2, 3]);
        Assert.Equal(1, poses[0][3, 3]);
        Assert.Equal(0, poses[0][3, 0]);
        Assert.Equal(-0.15, poses[1][0, 3]);
    }
}
