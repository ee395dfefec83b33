using Monodepth2.Geometry;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Geometry;

public sealed class PoseMathTests : TorchTestBase
{
    [Fact]
    public void RotationAboutZMatchesHandWrittenMatrix()
    {
        const double angle = 0.3;
        using var r = PoseMath.RotationFromAxisAngle(tensor(new float[] { 0, 0, (float)angle }, [1, 1, 3]));
        var v = Values(r);
        double c = Math.Cos(angle), s = Math.Sin(angle);
        double[] expected = [c, -s, 0, 0, s, c, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
        for (var i = 0; i < 16; i++)
        {
            AssertClose(expected[i], v[i], 1e-6, $"entry {i}");
        }
    }

    [Fact]
    public void RotationAboutArbitraryAxisMatchesQuaternionAndIsOrthonormal()
    {
        // Independent route: unit quaternion (cos(a/2), sin(a/2) n) to matrix.
        double[] vec = [0.2, -0.5, 0.4];
        var a = Math.Sqrt(vec.Sum(x => x * x));
        double qw = Math.Cos(a / 2), qx = Math.Sin(a / 2) * vec[0] / a, qy = Math.Sin(a / 2) * vec[1] / a, qz = Math.Sin(a / 2) * vec[2] / a;
        double[,] q =
        {
            { 1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy - qz * qw), 2 * (qx * qz + qy * qw) },
            { 2 * (qx * qy + qz * qw), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz - qx * qw) },
            { 2 * (qx * qz - qy * qw), 2 * (qy * qz + qx * qw), 1 - 2 * (qx * qx + qy * qy) },
        };
        using var r = PoseMath.RotationFromAxisAngle(tensor(vec.Select(x => (float)x).ToArray(), [1, 3]));
        var m = Values(r);
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                AssertClose(q[i, j], m[(i * 4) + j], 1e-6, $"R[{i},{j}]");
            }
        }

        using var rtr = r.transpose(1, 2).matmul(r);
        var identity = Values(rtr);
        for (var i = 0; i < 16; i++)
        {
            AssertClose(i % 5 == 0 ? 1 : 0, identity[i], 1e-6, $"RtR entry {i}");
        }
    }

    [Fact]
    public void ZeroRotationIsIdentityWithoutNaN()
    {
        using var r = PoseMath.RotationFromAxisAngle(zeros(2, 1, 3));
        var v = Values(r);
        for (var i = 0; i < 32; i++)
        {
            Assert.Equal((i % 16) % 5 == 0 ? 1f : 0f, v[i]);
        }
    }

    [Fact]
    public void TransformTimesItsInverseIsIdentity()
    {
        using var scope = NewDisposeScope();
        var axisAngle = tensor(new float[] { 0.1f, 0.2f, -0.3f, -0.05f, 0.4f, 0.02f }, [2, 1, 1, 3]);
        var translation = tensor(new float[] { 1.5f, -0.2f, 3f, 0f, 0.7f, -1f }, [2, 1, 1, 3]);
        var t = PoseMath.TransformationFromParameters(axisAngle, translation);
        var inv = PoseMath.TransformationFromParameters(axisAngle, translation, invert: true);
        var product = Values(t.matmul(inv));
        var reverse = Values(inv.matmul(t));
        for (var i = 0; i < 32; i++)
        {
            var expected = (i % 16) % 5 == 0 ? 1.0 : 0.0;
            AssertClose(expected, product[i], 1e-5, $"T T^-1 entry {i}");
            AssertClose(expected, reverse[i], 1e-5, $"T^-1 T entry {i}");
        }
    }

    [Fact]
    public void TransformAppliesRotationThenTranslation()
    {
        // Rotating (1, 0, 0) by 90 degrees about z gives (0, 1, 0); then translating by (1, 2, 3) gives (1, 3, 3).
        using var scope = NewDisposeScope();
        var t = PoseMath.TransformationFromParameters(
            tensor(new float[] { 0, 0, (float)(Math.PI / 2) }, [1, 1, 3]), tensor(new float[] { 1, 2, 3 }, [1, 1, 3]));
        var p = Values(t.matmul(tensor(new float[] { 1, 0, 0, 1 }, [1, 4, 1])));
        float[] expected = [1, 3, 3, 1];
        for (var i = 0; i < 4; i++)
        {
            AssertClose(expected[i], p[i], 1e-6, $"coordinate {i}");
        }
    }

    [Fact]
    public void StereoTransformIsIdentityWithSignedBaselinePerSample()
    {
        // Left image unflipped (side -1, flip +1) and left image flipped (side -1, flip -1), baseline 0.1.
        using var t = PoseMath.StereoTransform([-1.0, 1.0], 0.1);
        Assert.Equal(new long[] { 2, 4, 4 }, t.shape);
        var v = Values(t);
        for (var i = 0; i < 32; i++)
        {
            var expected = i % 16 is 0 or 5 or 10 or 15 ? 1.0 : i == 3 ? -0.1 : i == 19 ? 0.1 : 0.0;
            AssertClose(expected, v[i], 1e-7, $"element {i}");
        }
    }
}
