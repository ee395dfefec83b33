using System.Collections.Concurrent;
using System.Globalization;
using Monodepth2.Geometry;

namespace Monodepth2.Data;

/// <summary>
/// KITTI raw: <c>root/&lt;date&gt;/&lt;drive&gt;_sync/image_02/data/0000000123.png</c> (left; <c>image_03</c> right), one
/// sample per split line <c>&lt;folder&gt; &lt;frame&gt; &lt;l|r|2|3&gt;</c>. Frames are resized to the input size whatever
/// their size. The stereo partner "s" is the other camera's image at the same index. Camera travel (velocity
/// supervision) comes from <c>root/poses/&lt;date&gt;_drive_&lt;NNNN&gt;.txt</c> (KITTI odometry format, one line per frame) when
/// it exists, else from the drive's <c>oxts/timestamps.txt</c> and <c>oxts/data/</c> (<see cref="OxtsFile"/>).
/// </summary>
public sealed class KittiRawDataset : MonodepthDataset
{
    private readonly string root;
    private readonly IReadOnlyList<SplitEntry> entries;
    private readonly bool calibrated;
    private readonly bool loadGroundTruth;
    private readonly ConcurrentDictionary<(string, CameraSide), Lazy<Intrinsics>> calibrations = new();

    /// <summary>Creates the dataset.</summary>
    /// <param name="root">The KITTI raw root (holding the date folders).</param>
    /// <param name="entries">Split entries; each needs a side.</param>
    /// <param name="options">Loading options.</param>
    /// <param name="useCalibration">
    /// False (the reference): the fixed <see cref="Intrinsics.Kitti"/>; true: read from
    /// <c>root/&lt;date&gt;/calib_cam_to_cam.txt</c> (P_rect_02/03 and S_rect_02/03).
    /// </param>
    /// <param name="loadGroundTruth">
    /// Also load <c>root/&lt;folder&gt;/proj_depth/groundtruth/image_0{2,3}/&lt;10-digit&gt;.png</c> (KITTI depth benchmark).
    /// </param>
    /// <exception cref="InvalidDataException">An entry has no side; the message gives file and line.</exception>
    public KittiRawDataset(string root, IReadOnlyList<SplitEntry> entries, DatasetOptions options, bool useCalibration = false, bool loadGroundTruth = false)
        : base(options)
    {
        foreach (var e in entries)
        {
            if (e.Side is null)
            {
                throw new InvalidDataException($"{e.Location}: KITTI raw needs a side (l, r, 2 or 3) after the frame index.");
            }
        }

        this.root = root;
        this.entries = entries;
        calibrated = useCalibration;
        this.loadGroundTruth = loadGroundTruth;
    }

    /// <inheritdoc/>
    public override int Count => entries.Count;

    /// <summary>The image path of one frame.</summary>
    public static string ImagePath(string root, string folder, int frameIndex, CameraSide side, string extension) =>
        Path.Combine(root, folder, side == CameraSide.Left ? "image_02" : "image_03", "data", frameIndex.ToString("D10", CultureInfo.InvariantCulture) + extension);

    /// <summary>The ground-truth depth PNG of one frame.</summary>
    public static string GroundTruthPath(string root, string folder, int frameIndex, CameraSide side) =>
        Path.Combine(root, folder, "proj_depth", "groundtruth", side == CameraSide.Left ? "image_02" : "image_03", frameIndex.ToString("D10", CultureInfo.InvariantCulture) + ".png");

    /// <summary>
    /// The poses file of a drive folder such as <c>2011_09_26/2011_09_26_drive_0001_sync</c>:
    /// <c>root/poses/2011_09_26_drive_0001.txt</c>.
    /// </summary>
    public static string PosesPath(string root, string folder)
    {
        var drive = Path.GetFileName(folder.TrimEnd('/', '\\'));
        return Path.Combine(root, "poses", (drive.EndsWith("_sync", StringComparison.Ordinal) ? drive[..^5] : drive) + ".txt");
    }

    /// <summary>The camera travel of a drive: its poses file, else its oxts folder, else null.</summary>
    /// <exception cref="InvalidDataException">A malformed file; the message gives file and line.</exception>
    public static CameraTravel? ReadTravel(string root, string folder)
    {
        var poses = PosesPath(root, folder);
        if (File.Exists(poses))
        {
            return CameraTravel.FromPoseFile(poses);
        }

        var drive = Path.Combine(root, folder);
        return File.Exists(OxtsFile.TimestampsPath(drive)) ? CameraTravel.FromOxts(drive) : null;
    }

    /// <inheritdoc/>
    public override string Describe(int index) => entries[index].Location + " '" + entries[index].ToLine() + "'";

    /// <inheritdoc/>
    protected override SampleFiles Resolve(int index)
    {
        var e = entries[index];
        var side = e.Side!.Value;
        var frames = new Dictionary<FrameId, string>();
        foreach (var id in Options.FrameIds)
        {
            if (id.IsStereo)
            {
                frames[id] = ImagePath(root, e.Folder, e.FrameIndex, Other(side), Options.ImageExtension);
            }
            else
            {
                var f = e.FrameIndex + id.Offset;
                frames[id] = f >= 0
                    ? ImagePath(root, e.Folder, f, side, Options.ImageExtension)
                    : throw new FileNotFoundException($"{Path.GetDirectoryName(ImagePath(root, e.Folder, 0, side, Options.ImageExtension))}: frame {id} of frame {e.FrameIndex} would have index {f}, before the first frame.");
            }
        }

        var k = Intrinsics.Kitti;
        if (calibrated)
        {
            var path = KittiCalibration.PathFor(root, e.Folder);
            k = calibrations.GetOrAdd((path, side), key => new Lazy<Intrinsics>(() => KittiCalibration.ReadIntrinsics(key.Item1, key.Item2))).Value;
        }

        var gt = loadGroundTruth ? GroundTruthPath(root, e.Folder, e.FrameIndex, side) : null;
        var travel = Options.LoadTravel
            ? TravelOf(e.Folder)?.ForSample(e.FrameIndex, Options.FrameIds)
            : null;
        return new SampleFiles(frames, k, side == CameraSide.Left ? -1 : 1, gt, Travel: travel);
    }

    /// <inheritdoc/>
    protected override IEnumerable<string> TravelSequences() => entries.Select(e => e.Folder);

    /// <inheritdoc/>
    protected override CameraTravel? ReadSequenceTravel(string sequence) => ReadTravel(root, sequence);

    private static CameraSide Other(CameraSide side) => side == CameraSide.Left ? CameraSide.Right : CameraSide.Left;
}
