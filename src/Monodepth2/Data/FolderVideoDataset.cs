using System.Collections.Concurrent;
using Monodepth2.Geometry;
using Monodepth2.Imaging;

namespace Monodepth2.Data;

/// <summary>
/// Your own videos: <c>root/&lt;sequence&gt;/</c> folders of frames (any <c>.png</c>, <c>.jpg</c>, <c>.jpeg</c>), ordered by
/// file name (ordinal), with intrinsics in <c>root/&lt;sequence&gt;/intrinsics.txt</c> or else <c>root/intrinsics.txt</c>
/// (format: <see cref="IntrinsicsFile"/>). Frames placed directly in <c>root</c> form a sequence named <c>.</c>.
/// Without a split, every frame whose temporal neighbours exist is a sample; with one, lines are
/// <c>&lt;sequence&gt; &lt;position&gt;</c>, the position counting from 0 in the sorted frame list. There is no stereo
/// partner ("s" is rejected).
/// All frames of a sequence must have the same size: the <c>width height</c> of a pixel intrinsics file when given,
/// else the size of the sequence's first frame; a frame of another size is a bad sample (the intrinsics would not fit).
/// Frames are then resized to the input size.
/// Camera travel (velocity supervision) comes from <c>poses.txt</c> beside a sequence's frames (KITTI odometry format: one
/// line per frame in the sorted frame order, 12 numbers, the row-major 3x4 camera-to-world matrix), else from
/// <c>speeds.txt</c> there (one line per frame, <c>&lt;seconds&gt; &lt;speed in m/s&gt;</c>; <see cref="CameraTravel.FromSpeedsFile"/>);
/// either must have exactly one line per frame.
/// </summary>
public sealed class FolderVideoDataset : MonodepthDataset
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];
    private readonly string root;
    private readonly Intrinsics? fallback;
    private readonly Dictionary<string, string[]> sequences = new(StringComparer.Ordinal);
    private readonly List<(string Sequence, int Position, SplitEntry? Entry)> samples = [];
    private readonly ConcurrentDictionary<string, Lazy<(Intrinsics K, (int, int) Size, string SizeSource)>> cameras = new();

    /// <summary>Creates the dataset.</summary>
    /// <param name="root">Folder holding the sequence folders.</param>
    /// <param name="options">Loading options (no "s" frame id).</param>
    /// <param name="entries">Optional split: <c>&lt;sequence&gt; &lt;position&gt;</c> lines.</param>
    /// <param name="fallbackIntrinsics">Normalised intrinsics for sequences without an intrinsics file; null: such a file is required.</param>
    /// <exception cref="DirectoryNotFoundException">No such root.</exception>
    /// <exception cref="ArgumentException">"s" among the frame ids.</exception>
    /// <exception cref="InvalidDataException">A split entry names an unknown sequence; the message gives file and line.</exception>
    public FolderVideoDataset(string root, DatasetOptions options, IReadOnlyList<SplitEntry>? entries = null, Intrinsics? fallbackIntrinsics = null)
        : base(options)
    {
        if (options.FrameIds.Any(f => f.IsStereo))
        {
            throw new ArgumentException("Folder videos have no stereo partner: remove \"s\" from FrameIds.", nameof(options));
        }

        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"{root}: data folder not found.");
        }

        this.root = root;
        fallback = fallbackIntrinsics;
        AddSequence(".", root);
        foreach (var dir in Directory.GetDirectories(root).OrderBy(d => d, StringComparer.Ordinal))
        {
            AddSequence(Path.GetFileName(dir), dir);
        }

        if (entries is null)
        {
            var min = options.FrameIds.Min(f => f.Offset);
            var max = options.FrameIds.Max(f => f.Offset);
            foreach (var (name, frames) in sequences.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                for (var p = -min; p + max < frames.Length; p++)
                {
                    samples.Add((name, p, null));
                }
            }
        }
        else
        {
            foreach (var e in entries)
            {
                var name = e.Folder.TrimEnd('/', '\\');
                if (!sequences.ContainsKey(name))
                {
                    throw new InvalidDataException($"{e.Location}: no sequence folder '{e.Folder}' with frames in {root}.");
                }

                samples.Add((name, e.FrameIndex, e));
            }
        }
    }

    /// <inheritdoc/>
    public override int Count => samples.Count;

    /// <summary>Sequence names (folder names; "." for frames directly in the root).</summary>
    public IReadOnlyCollection<string> Sequences => sequences.Keys;

    /// <summary>The sorted frame files of a sequence.</summary>
    public IReadOnlyList<string> Frames(string sequence) => sequences[sequence];

    /// <inheritdoc/>
    protected override IEnumerable<string> TravelSequences() => samples.Select(s => s.Sequence);

    /// <inheritdoc/>
    public override string Describe(int index)
    {
        var (seq, pos, entry) = samples[index];
        var frames = sequences[seq];
        var where = pos < frames.Length ? Path.GetFileName(frames[pos]) : $"position {pos}";
        return entry is null ? $"{seq}/{where}" : $"{entry.Location} '{entry.ToLine()}' = {seq}/{where}";
    }

    /// <inheritdoc/>
    protected override SampleFiles Resolve(int index)
    {
        var (seq, pos, _) = samples[index];
        var frames = sequences[seq];
        var paths = new Dictionary<FrameId, string>();
        foreach (var id in Options.FrameIds)
        {
            var p = pos + id.Offset;
            paths[id] = p >= 0 && p < frames.Length
                ? frames[p]
                : throw new FileNotFoundException($"{SequenceFolder(seq)}: frame {id} of position {pos} would be position {p}, but the sequence has frames 0..{frames.Length - 1}.");
        }

        var camera = cameras.GetOrAdd(seq, s => new Lazy<(Intrinsics, (int, int), string)>(() => Camera(s))).Value;
        var travel = Options.LoadTravel
            ? TravelOf(seq)?.ForSample(pos, Options.FrameIds)
            : null;
        return new SampleFiles(paths, camera.K, -1, null, camera.Size, camera.SizeSource, travel);
    }

    /// <inheritdoc/>
    protected override CameraTravel? ReadSequenceTravel(string seq)
    {
        var poses = Path.Combine(SequenceFolder(seq), CameraTravel.PosesFileName);
        var speeds = Path.Combine(SequenceFolder(seq), CameraTravel.SpeedsFileName);
        var travel = File.Exists(poses) ? CameraTravel.FromPoseFile(poses) : File.Exists(speeds) ? CameraTravel.FromSpeedsFile(speeds) : null;
        var frames = sequences[seq].Length;
        return travel is null || travel.FrameCount == frames
            ? travel
            : throw new InvalidDataException($"{travel.Source}: {travel.FrameCount} lines but the sequence has {frames} frames; give one line per frame, in file-name order.");
    }

    private string SequenceFolder(string seq) => seq == "." ? root : Path.Combine(root, seq);

    private void AddSequence(string name, string dir)
    {
        var frames = Directory.GetFiles(dir)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            .ToArray();
        if (frames.Length > 0)
        {
            sequences[name] = frames;
        }
    }

    private (Intrinsics K, (int, int) Size, string SizeSource) Camera(string seq)
    {
        var frames = sequences[seq];
        var own = Path.Combine(SequenceFolder(seq), IntrinsicsFile.FileName);
        var shared = Path.Combine(root, IntrinsicsFile.FileName);
        var path = File.Exists(own) ? own : File.Exists(shared) ? shared : null;
        if (path is null)
        {
            if (fallback is null)
            {
                throw new FileNotFoundException($"{own}: intrinsics file not found (nor {shared}).", own);
            }

            return (fallback, ImageFiles.ReadSize(frames[0]), $"the sequence's first frame {frames[0]}");
        }

        var entry = IntrinsicsFile.Read(path);
        if (entry.Width is { } w && entry.Height is { } h)
        {
            return (entry.ToIntrinsics(w, h), (w, h), $"intrinsics file {path}");
        }

        var size = ImageFiles.ReadSize(frames[0]);
        return (entry.ToIntrinsics(size.Width, size.Height), size, $"the sequence's first frame {frames[0]} (intrinsics file {path})");
    }
}
