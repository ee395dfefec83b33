using System.Globalization;

namespace Monodepth2.Evaluation;

/// <summary>The absolute trajectory error over snippets, as the reference's <c>evaluate_pose.py</c> reports it.</summary>
/// <param name="AteMean">Mean ATE over snippets.</param>
/// <param name="AteStd">Population standard deviation of the ATEs (np.std).</param>
/// <param name="Ates">Per-snippet ATE, snippet i starting at frame i.</param>
/// <param name="Source">What was evaluated against what.</param>
public sealed record PoseEvaluationResult(double AteMean, double AteStd, IReadOnlyList<double> Ates, string Source)
{
    /// <summary>Number of snippets.</summary>
    public int Snippets => Ates.Count;

    /// <summary>The reference's printout: "   Trajectory error: 0.017, std: 0.009".</summary>
    public string ToText() => string.Create(CultureInfo.InvariantCulture, $"   Trajectory error: {AteMean:0.000}, std: {AteStd:0.000}  ({Snippets} snippets; {Source})\n");
}
