namespace Monodepth2.Tests.Evaluation;

/// <summary>
/// Relative poses for test inputs, written out independently of <c>PoseEvaluator.LocalPoses</c> and the general 4x4
/// inverse: for rigid camera-to-world poses G = [R t], inv(G(i)) G(i-1) = [R(i)^T R(i-1), R(i)^T (t(i-1) - t(i))].
/// </summary>
internal static class RigidPoses
{
    /// <summary>The N - 1 relative poses of consecutive frames, translations multiplied by <paramref name="translationScale"/>.</summary>
    public static List<double[,]> Relative(IReadOnlyList<double[,]> global, double translationScale = 1)
    {
        var result = new List<double[,]>();
        for (var i = 1; i < global.Count; i++)
        {
            var prev = global[i - 1];
            var cur = global[i];
            var m = new double[4, 4];
            m[3, 3] = 1;
            for (var r = 0; r < 3; r++)
            {
                for (var c = 0; c < 3; c++)
                {
                    for (var k = 0; k < 3; k++)
                    {
                        m[r, c] += cur[k, r] * prev[k, c];
                    }
                }

                for (var k = 0; k < 3; k++)
                {
                    m[r, 3] += cur[k, r] * (prev[k, 3] - cur[k, 3]);
                }

                m[r, 3] *= translationScale;
            }

            result.Add(m);
        }

        return result;
    }
}
