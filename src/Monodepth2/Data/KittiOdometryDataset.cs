using System.Globalization;
using Monodepth2.Evaluation;
using Monodepth2.Geometry;

namespace Monodepth2.Data;

/// <summary>
/// KITTI odometry: <c>root/sequences/09/image_2/000123.png</c> (left; <c>image_3</c> right), one sample per split line
/// <c>&lt;sequence&gt; &lt;frame&gt; [l|r|2|3]</c> (side defaults to left). Intrinsics are the fixed KITTI ones, as in the
/// reference, unless given. Camera travel (velocity supervision) comes from <c>root/poses/&lt;NN&gt;.txt</c> when it exists.
/// </summary>
public sealed class KittiOdometryDataset : MonodepthDataset
{
    private readonly string root;
    private readonly IReadOnlyList<SplitEntry> entries;
    private readonly int[] sequences;
    private readonly Intrinsics intrinsics;

    /// <summary>Creates the dataset.</summary>
    /// <param name="root">The odometry root (holding <c>sequences/</c>).</param>
    /// <param name="entries">Split entries; the folder is the sequence number.</param>
    /// <param name="options">Loading options.</param>
    /// <param name="intrinsics">Normalised intrinsics; default <see cref="Intrinsics.Kitti"/>.</param>
    /// <exception cref="InvalidDataException">A folder is not a sequence number; the message gives file and line.</exception>
    public KittiOdometryDataset(string root, IReadOnlyList<SplitEntry> entries, DatasetOptions options, Intrinsics? intrinsics = null)
        : base(options)
    {
        this.root = root;
        this.entries = entries;
        this.intrinsics = intrinsics ?? Intrinsics.Kitti;
        sequences = entries.Select(e => int.TryParse(e.Folder, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            ? s
            : throw new InvalidDataException($"{e.Location}: odometry sequence '{e.Folder}' is not a number.")).ToArray();
    }

    /// <inheritdoc/>
    public override int Count => entries.Count;

    /// <summary>The image path of one frame.</summary>
    public static string ImagePath(string root, int sequence, int frameIndex, CameraSide side, string extension) =>
        Path.Combine(root, "sequences", sequence.ToString("D2", CultureInfo.InvariantCulture), side == CameraSide.Left ? "image_2" : "image_3", frameIndex.ToString("D6", CultureInfo.InvariantCulture) + extension);

    /// <inheritdoc/>
    protected override IEnumerable<string> TravelSequences() => sequences.Select(s => s.ToString(CultureInfo.InvariantCulture));

    /// <inheritdoc/>
    protected override CameraTravel? ReadSequenceTravel(string sequence)
    {
        var poses = PoseEvaluator.KittiOdometryPoseFile(root, int.Parse(sequence, CultureInfo.InvariantCulture));
        return File.Exists(poses) ? CameraTravel.FromPoseFile(poses) : null;
    }

    /// <inheritdoc/>
    public override string Describe(int index) => entries[index].Location + " '" + entries[index].ToLine() + "'";

    /// <inheritdoc/>
    protected override SampleFiles Resolve(int index)
    {
        var e = entries[index];
        var seq = sequences[index];
        var side = e.Side ?? CameraSide.Left;
        var frames = new Dictionary<FrameId, string>();
        foreach (var id in Options.FrameIds)
        {
            var f = e.FrameIndex + id.Offset;
            var s = id.IsStereo ? (side == CameraSide.Left ? CameraSide.Right : CameraSide.Left) : side;
            frames[id] = f >= 0
                ? ImagePath(root, seq, f, s, Options.ImageExtension)
                : throw new FileNotFoundException($"{Path.GetDirectoryName(ImagePath(root, seq, 0, s, Options.ImageExtension))}: frame {id} of frame {e.FrameIndex} would have index {f}, before the first frame.");
        }

        var travel = Options.LoadTravel
            ? TravelOf(seq.ToString(CultureInfo.InvariantCulture))?.ForSample(e.FrameIndex, Options.FrameIds)
            : null;
        return new SampleFiles(frames, intrinsics, side == CameraSide.Left ? -1 : 1, Travel: travel);
    }
}
