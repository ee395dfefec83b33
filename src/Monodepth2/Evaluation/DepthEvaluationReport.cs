using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monodepth2.Evaluation;

/// <summary>The outcome of a depth evaluation run under the reference protocol.</summary>
/// <param name="Mean">The seven metrics averaged over images.</param>
/// <param name="Images">Images evaluated.</param>
/// <param name="RatioMean">Mean of the per-image median-scaling ratios (1 without median scaling).</param>
/// <param name="RatioStd">Their (population) standard deviation.</param>
/// <param name="RatioMedian">Median of the ratios: the reference's printed "med".</param>
/// <param name="RatioStdOverMedian">np.std(ratios / median): the reference's printed "std".</param>
/// <param name="Options">The settings used.</param>
/// <param name="Predictions">What was evaluated (model description or disparity file).</param>
/// <param name="GroundTruth">Where the ground truth came from.</param>
public sealed record DepthEvaluationReport(
    DepthMetrics Mean,
    int Images,
    double RatioMean,
    double RatioStd,
    double RatioMedian,
    double RatioStdOverMedian,
    DepthEvaluationOptions Options,
    string Predictions,
    string GroundTruth)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>With camera-height scaling: each image's plane fit and the median ratio after scaling; else null.</summary>
    public GroundPlaneSummary? GroundPlanes { get; init; }

    /// <summary>
    /// Median over images of median(gt) / median(pred) with the prediction as the fixed scaling leaves it (the stereo
    /// factor, the camera-height plane; before any median scaling): 1 when the depth is metric. With median scaling it is
    /// the same number as <see cref="RatioMedian"/>. NaN when not computed.
    /// </summary>
    public double ScaleRatio { get; init; } = double.NaN;

    /// <summary>The metrics and ratio statistics alone, as for a set of per-image evaluations.</summary>
    public DepthEvaluationResult Summary => new(Mean, Images, RatioMean, RatioStd);

    /// <summary>
    /// The reference's printout: the scaling line (" Scaling ratios | med: 1.234 | std: 0.056" with median scaling)
    /// and the table <c>abs_rel | sq_rel | rmse | rmse_log | a1 | a2 | a3</c> with values to three decimals.
    /// </summary>
    public string ToTable()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"-> Evaluated {Images} images: {Predictions} against {GroundTruth}\n");
        if (Options.MedianScaling)
        {
            sb.Append("   Mono evaluation - using median scaling\n");
            sb.Append(c, $" Scaling ratios | med: {RatioMedian:0.000} | std: {RatioStdOverMedian:0.000}\n");
        }
        else if (GroundPlanes is { } planes)
        {
            sb.Append(c, $"   Camera-height scaling ({planes.CameraHeight:0.###} m) - median scaling disabled\n");
            sb.Append(c, $" Ground plane found in {planes.PlanesFound} of {planes.Fits.Count} images (the others unscaled) | median ratio gt/pred after scaling: {ScaleRatio:0.000}\n");
        }
        else
        {
            sb.Append(c, $"   Fixed scaling by {Options.ScaleFactor:0.###} - median scaling disabled\n");
            if (!double.IsNaN(ScaleRatio))
            {
                sb.Append(c, $" Median ratio gt/pred: {ScaleRatio:0.000} (1 = metric)\n");
            }
        }

        sb.Append("\n  ");
        foreach (var name in DepthMetrics.Names)
        {
            sb.Append(name.PadLeft(8)).Append(" | ");
        }

        sb.Append('\n');
        foreach (var v in Mean.Values)
        {
            var text = v.ToString("0.000", c);
            sb.Append('&').Append((v >= 0 ? " " + text : text).PadLeft(8)).Append("  ");
        }

        sb.Append("\\\\\n");
        return sb.ToString();
    }

    /// <summary>Every metric, the ratio statistics and the settings as indented JSON with snake_case names.</summary>
    public string ToJson() => JsonSerializer.Serialize(new JsonReport(
        Mean.AbsRel, Mean.SqRel, Mean.Rmse, Mean.RmseLog, Mean.A1, Mean.A2, Mean.A3, Images,
        RatioMean, RatioStd, RatioMedian, RatioStdOverMedian, ScaleRatio, Predictions, GroundTruth,
        new JsonSettings(Options.EigenCrop, Options.MedianScaling, Options.ScaleFactor, Options.MinDepth, Options.MaxDepth,
            Options.PostProcess, Options.SavePredictions, Options.CameraHeight),
        GroundPlanes is { } g ? new JsonGroundPlanes(g.CameraHeight, g.PlanesFound, g.Fits.Count, ScaleRatio) : null), JsonOptions);

    /// <summary>Writes <see cref="ToJson"/> to a file (its folder created if needed).</summary>
    public void WriteJson(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        Weights.AtomicFile.WriteAllText(path, ToJson() + "\n");
    }

    private sealed record JsonSettings(bool EigenCrop, bool MedianScaling, double ScaleFactor, double MinDepth, double MaxDepth,
        bool PostProcess, string? SavePredictions, double? CameraHeight);

    private sealed record JsonGroundPlanes(double CameraHeight, int PlanesFound, int Images, double MedianRatioAfterScaling);

    private sealed record JsonReport(double AbsRel, double SqRel, double Rmse, double RmseLog, double A1, double A2, double A3, int Images,
        double RatioMean, double RatioStd, double RatioMedian, double RatioStdOverMedian, double ScaleRatio, string Predictions, string GroundTruth, JsonSettings Settings,
        JsonGroundPlanes? GroundPlane);
}
