using System.Globalization;
using Monodepth2.Data;
using Monodepth2.Geometry;
using Monodepth2.Imaging;
using Monodepth2.Networks;
using static TorchSharp.torch;

namespace Monodepth2.Evaluation;

/// <summary>
/// The reference's pose evaluation (<c>evaluate_pose.py</c>, KITTI odometry 09 and 10): the pose network predicts the
/// relative transform of each consecutive pair (frames i, i + 1 fed as [i, i + 1], not inverted: it maps points of
/// camera i into camera i + 1); ground-truth relative poses are inv(inv(G[i-1]) G[i]) from the camera-to-world poses G.
/// For every start frame i the next (up to) four relative poses are chained from the origin into (up to) five positions
/// (<see cref="DumpXyz"/>), and <see cref="ComputeAte"/> aligns the first positions, fits one scale and measures.
/// Like the reference, snippets near the end of the sequence are shorter (start frames 0 .. N - 2); pass
/// <c>fullSnippetsOnly</c> to keep only the five-frame ones.
/// </summary>
public static class PoseEvaluator
{
    /// <summary>Frames per snippet.</summary>
    public const int TrackLength = 5;

    /// <summary>
    /// Chains transforms from the identity (cam_to_world = cam_to_world · T for each T) and returns the translation
    /// part after each step, starting with the origin: n transforms give n + 1 positions.
    /// </summary>
    public static IReadOnlyList<Point3> DumpXyz(IReadOnlyList<double[,]> transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        var m = Matrix4.Identity();
        var xyz = new List<Point3> { new(0, 0, 0) };
        foreach (var t in transforms)
        {
            m = Matrix4.Multiply(m, t);
            xyz.Add(new Point3(m[0, 3], m[1, 3], m[2, 3]));
        }

        return xyz;
    }

    /// <summary>
    /// The reference's compute_ate: shift the prediction so its first position equals the ground truth's, fit
    /// scale = sum(gt · pred) / sum(pred²), and return sqrt(sum |scale · pred - gt|²) / (number of positions).
    /// NaN when every shifted predicted position is zero (as NumPy's 0 / 0).
    /// </summary>
    public static double ComputeAte(IReadOnlyList<Point3> groundTruth, IReadOnlyList<Point3> prediction)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(prediction);
        if (groundTruth.Count != prediction.Count || groundTruth.Count == 0)
        {
            throw new ArgumentException($"Snippets must have the same, non-zero number of positions (ground truth {groundTruth.Count}, prediction {prediction.Count}).");
        }

        var offset = new Point3(groundTruth[0].X - prediction[0].X, groundTruth[0].Y - prediction[0].Y, groundTruth[0].Z - prediction[0].Z);
        var pred = prediction.Select(p => new Point3(p.X + offset.X, p.Y + offset.Y, p.Z + offset.Z)).ToArray();
        double dot = 0, norm = 0;
        for (var i = 0; i < pred.Length; i++)
        {
            var g = groundTruth[i];
            var p = pred[i];
            dot += (g.X * p.X) + (g.Y * p.Y) + (g.Z * p.Z);
            norm += (p.X * p.X) + (p.Y * p.Y) + (p.Z * p.Z);
        }

        var scale = dot / norm;
        double sum = 0;
        for (var i = 0; i < pred.Length; i++)
        {
            var g = groundTruth[i];
            var p = pred[i];
            double dx = (p.X * scale) - g.X, dy = (p.Y * scale) - g.Y, dz = (p.Z * scale) - g.Z;
            sum += (dx * dx) + (dy * dy) + (dz * dz);
        }

        return Math.Sqrt(sum) / groundTruth.Count;
    }

    /// <summary>Ground-truth relative poses inv(inv(G[i-1]) G[i]) for i = 1 .. N - 1 from camera-to-world poses G.</summary>
    public static IReadOnlyList<double[,]> LocalPoses(IReadOnlyList<double[,]> globalPoses)
    {
        ArgumentNullException.ThrowIfNull(globalPoses);
        var local = new List<double[,]>(Math.Max(0, globalPoses.Count - 1));
        for (var i = 1; i < globalPoses.Count; i++)
        {
            local.Add(Matrix4.Inverse(Matrix4.Multiply(Matrix4.Inverse(globalPoses[i - 1]), globalPoses[i])));
        }

        return local;
    }

    /// <summary>
    /// ATE of predicted relative poses (pair i = frames i, i + 1; N - 1 of them for N ground-truth poses) against
    /// ground-truth camera-to-world poses.
    /// </summary>
    /// <exception cref="ArgumentException">The counts do not fit; the message gives the numbers.</exception>
    public static PoseEvaluationResult Evaluate(IReadOnlyList<double[,]> predictedRelative, IReadOnlyList<double[,]> groundTruthGlobal,
        bool fullSnippetsOnly = false, string source = "predicted poses against ground truth")
    {
        ArgumentNullException.ThrowIfNull(predictedRelative);
        ArgumentNullException.ThrowIfNull(groundTruthGlobal);
        var frames = groundTruthGlobal.Count;
        if (frames < 2)
        {
            throw new ArgumentException($"{source}: need at least 2 ground-truth poses, got {frames}.");
        }

        if (predictedRelative.Count != frames - 1)
        {
            throw new ArgumentException($"{source}: {predictedRelative.Count} predicted relative poses for {frames} ground-truth poses; expected {frames - 1} (one per consecutive pair).");
        }

        var gtLocal = LocalPoses(groundTruthGlobal);
        var ates = new List<double>();
        for (var i = 0; i < frames - 1; i++)
        {
            var n = Math.Min(TrackLength - 1, frames - 1 - i);
            if (fullSnippetsOnly && n < TrackLength - 1)
            {
                break;
            }

            var pred = DumpXyz(Slice(predictedRelative, i, n));
            var gt = DumpXyz(Slice(gtLocal, i, n));
            ates.Add(ComputeAte(gt, pred));
        }

        if (ates.Count == 0)
        {
            throw new ArgumentException($"{source}: no {TrackLength}-frame snippet in {frames} frames.");
        }

        var mean = ates.Average();
        var std = Math.Sqrt(ates.Select(a => (a - mean) * (a - mean)).Average());
        return new PoseEvaluationResult(mean, std, ates, source);
    }

    /// <summary>ATE of predicted relative poses against a KITTI-odometry pose file.</summary>
    public static PoseEvaluationResult Evaluate(IReadOnlyList<double[,]> predictedRelative, string groundTruthPoseFile, bool fullSnippetsOnly = false) =>
        Evaluate(predictedRelative, KittiPoseFile.Read(groundTruthPoseFile), fullSnippetsOnly, $"predicted poses against {groundTruthPoseFile}");

    /// <summary>
    /// Predicts the relative pose of every consecutive pair of an ordered list of frames (read and resized to the
    /// network's input size): pair i is fed as [frame i, frame i + 1] and not inverted, [N - 1] 4x4 matrices.
    /// </summary>
    /// <exception cref="ArgumentException">The networks have no pose network or fewer than two frames are given.</exception>
    public static IReadOnlyList<double[,]> PredictRelativePoses(MonodepthNetworks networks, IReadOnlyList<string> imagePaths, int width, int height, int batchSize = 8)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(imagePaths);
        var pose = networks.Pose ?? throw new ArgumentException("The networks have no pose network.", nameof(networks));
        if (imagePaths.Count < 2)
        {
            throw new ArgumentException($"Need at least two frames, got {imagePaths.Count}.", nameof(imagePaths));
        }

        networks.Train(false);
        var device = networks.Encoder.parameters().First().device;
        var plane = 3 * height * width;
        var result = new List<double[,]>(imagePaths.Count - 1);
        var previous = ImageFiles.ReadRgb(imagePaths[0], width, height);
        for (var start = 0; start < imagePaths.Count - 1; start += batchSize)
        {
            var count = Math.Min(batchSize, imagePaths.Count - 1 - start);
            var first = new float[count * plane];
            var second = new float[count * plane];
            for (var b = 0; b < count; b++)
            {
                var next = ImageFiles.ReadRgb(imagePaths[start + b + 1], width, height);
                Array.Copy(previous.Data, 0, first, b * plane, plane);
                Array.Copy(next.Data, 0, second, b * plane, plane);
                previous = next;
            }

            double[] values;
            TorchRuntime.QuiesceFinalizers();
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                var a = tensor(first, [count, 3, height, width], device: device);
                var b = tensor(second, [count, 3, height, width], device: device);
                var (axisAngle, translation) = pose.Kind == PoseNetworkKind.Shared
                    ? pose.PredictPair(a, b, networks.Encoder.call(a), networks.Encoder.call(b))
                    : pose.PredictPair(a, b);
                var m = PoseMath.TransformationFromParameters(axisAngle, translation, invert: false);
                values = m.to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
            }

            for (var b = 0; b < count; b++)
            {
                var m = new double[4, 4];
                for (var k = 0; k < 16; k++)
                {
                    m[k / 4, k % 4] = values[(b * 16) + k];
                }

                result.Add(m);
            }
        }

        return result;
    }

    /// <summary>
    /// Evaluates the pose network on an ordered sequence of frames with ground-truth camera-to-world poses in KITTI
    /// odometry format (one pose per frame, same order). Works for any layout: see <see cref="KittiOdometryFrames"/>
    /// and <see cref="KittiRawFrames"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The frame and pose counts differ.</exception>
    public static PoseEvaluationResult EvaluateModel(MonodepthNetworks networks, IReadOnlyList<string> imagePaths, string groundTruthPoseFile,
        int width, int height, bool fullSnippetsOnly = false)
    {
        ArgumentNullException.ThrowIfNull(imagePaths);
        var gt = KittiPoseFile.Read(groundTruthPoseFile);
        if (gt.Count != imagePaths.Count)
        {
            throw new InvalidDataException($"{groundTruthPoseFile} has {gt.Count} poses but {imagePaths.Count} frames were given; they must match one to one.");
        }

        var predicted = PredictRelativePoses(networks, imagePaths, width, height);
        return Evaluate(predicted, gt, fullSnippetsOnly, $"pose network on {imagePaths.Count} frames against {groundTruthPoseFile}");
    }

    /// <summary>Frames 0 .. count - 1 of a KITTI odometry sequence: <c>root/sequences/NN/image_2/000000.png</c>, ...</summary>
    public static IReadOnlyList<string> KittiOdometryFrames(string root, int sequence, int count, string extension = ".png", CameraSide side = CameraSide.Left) =>
        Enumerable.Range(0, count).Select(f => KittiOdometryDataset.ImagePath(root, sequence, f, side, extension)).ToArray();

    /// <summary>Frames 0 .. count - 1 of a KITTI-raw drive (also the synthetic world's layout): <c>root/&lt;folder&gt;/image_02/data/0000000000.png</c>, ...</summary>
    public static IReadOnlyList<string> KittiRawFrames(string root, string folder, int count, string extension = ".png", CameraSide side = CameraSide.Left) =>
        Enumerable.Range(0, count).Select(f => KittiRawDataset.ImagePath(root, folder, f, side, extension)).ToArray();

    /// <summary>The KITTI odometry ground-truth pose file of a sequence: <c>root/poses/NN.txt</c>.</summary>
    public static string KittiOdometryPoseFile(string root, int sequence) =>
        Path.Combine(root, "poses", sequence.ToString("D2", CultureInfo.InvariantCulture) + ".txt");

    private static List<double[,]> Slice(IReadOnlyList<double[,]> list, int start, int count)
    {
        var result = new List<double[,]>(count);
        for (var k = 0; k < count; k++)
        {
            result.Add(list[start + k]);
        }

        return result;
    }
}
