using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Monodepth2.Data;
using Monodepth2.Geometry;
using Monodepth2.Imaging;
using SixLabors.ImageSharp.PixelFormats;

namespace Monodepth2.MLNet.Data;

/// <summary>
/// Training samples from the rows of an <see cref="IDataView"/>: each row one frame (image, sequence, frame index,
/// optional camera side and intrinsics). The frames are read once, resized to the input size with the same
/// Lanczos-3 filter as the file layouts, and kept in memory as bytes (3 x W x H per frame). A sample is a target
/// frame whose neighbours (frame index + each offset, and for stereo the other side) are all present. With a travel
/// column (<see cref="FrameColumnNames.Travel"/>), a sample's travel to a source is the sum of the per-frame steps in between.
/// </summary>
public sealed class DataViewDataset : MonodepthDataset
{
    private readonly Dictionary<string, byte[]> frames = new(StringComparer.Ordinal);
    private readonly List<(string Sequence, long Frame, CameraSide Side, Intrinsics K, long Row)> samples = [];
    private readonly Dictionary<(string Sequence, long Frame), double> steps = [];

    /// <summary>Reads the frames of <paramref name="data"/>.</summary>
    /// <param name="data">One row per frame.</param>
    /// <param name="columns">Column names.</param>
    /// <param name="options">Input size and frame ids (temporal offsets, "s" for stereo).</param>
    /// <param name="defaultIntrinsics">Normalised intrinsics for rows without an intrinsics column (default: KITTI's).</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type; the message names it.</exception>
    /// <exception cref="InvalidDataException">A row is unusable (empty image, duplicate frame) or no sample has all its neighbours.</exception>
    public DataViewDataset(IDataView data, FrameColumnNames columns, DatasetOptions options, Intrinsics? defaultIntrinsics = null)
        : base(options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(columns);
        var schema = data.Schema;
        var image = FrameColumns.RequireImage(schema, columns.Image);
        var sequence = FrameColumns.Require(schema, columns.Sequence, "sequence");
        var frameIndex = FrameColumns.Require(schema, columns.FrameIndex, "frame index");
        var side = columns.Side is null ? (DataViewSchema.Column?)null : FrameColumns.Require(schema, columns.Side, "side");
        var intrinsics = columns.Intrinsics is null ? (DataViewSchema.Column?)null : FrameColumns.Require(schema, columns.Intrinsics, "intrinsics");
        var travel = columns.Travel is null ? (DataViewSchema.Column?)null : FrameColumns.Require(schema, columns.Travel, "travel");
        if (options.FrameIds.Any(f => f.IsStereo) && side is null)
        {
            throw new ArgumentException("Stereo training needs a side column (FrameColumnNames.Side) telling left from right frames.", nameof(columns));
        }

        var fallback = defaultIntrinsics ?? Intrinsics.Kitti;
        var wanted = new List<DataViewSchema.Column> { image, sequence, frameIndex };
        wanted.AddRange(new[] { side, intrinsics, travel }.OfType<DataViewSchema.Column>());
        var targets = new List<(string Sequence, long Frame, CameraSide Side, Intrinsics K, long Row)>();
        using (var cursor = data.GetRowCursor(wanted))
        {
            var getImage = cursor.GetGetter<MLImage>(image);
            var getSequence = FrameColumns.TextGetter(cursor, sequence, "sequence");
            var getFrame = FrameColumns.IntegerGetter(cursor, frameIndex, "frame index");
            var getSide = side is { } sc ? FrameColumns.TextGetter(cursor, sc, "side") : null;
            var getK = intrinsics is { } ic ? FrameColumns.IntrinsicsGetter(cursor, ic) : null;
            var getTravel = travel is { } tc ? FrameColumns.TextGetter(cursor, tc, "travel") : null;
            var travelText = string.Empty;
            MLImage img = null!;
            string seq = string.Empty, sideText = "l";
            while (cursor.MoveNext())
            {
                var row = cursor.Position;
                getImage(ref img);
                getSequence(ref seq);
                var frame = getFrame();
                getSide?.Invoke(ref sideText);
                var camera = ParseSide(sideText, row, columns.Side);
                var k = getK is null ? fallback : ToIntrinsics(getK(), row, columns.Intrinsics!);
                if (img is null || img.Width <= 0 || img.Height <= 0)
                {
                    throw new InvalidDataException($"Row {row} (sequence '{seq}', frame {frame}): the image is empty.");
                }

                // ML.NET's LoadImages decodes a truncated file without complaint (the missing part grey) and tags the image
                // with its path: read the file once through the library's reader, which refuses it and names it.
                if (img.Tag is { Length: > 0 } tag && File.Exists(tag))
                {
                    ImageFiles.Load<Rgb24>(tag).Dispose();
                }

                var key = Key(seq, frame, camera);
                if (frames.ContainsKey(key))
                {
                    throw new InvalidDataException($"Row {row}: sequence '{seq}' has frame {frame} ({camera}) twice.");
                }

                if (getTravel is not null)
                {
                    getTravel(ref travelText);
                    var step = ParseTravel(travelText, row, columns.Travel!);
                    if (!double.IsNaN(step))
                    {
                        steps.TryAdd((seq, frame), step);
                    }
                }

                frames[key] = Pack(ImageFiles.Resize(MLImageConversion.ToRgb(img), options.Width, options.Height));
                targets.Add((seq, frame, camera, k, row));
            }
        }

        foreach (var t in targets)
        {
            if (options.FrameIds.All(id => frames.ContainsKey(NeighbourKey(t.Sequence, t.Frame, t.Side, id))))
            {
                samples.Add(t);
            }
        }

        if (samples.Count == 0)
        {
            throw new InvalidDataException(
                $"None of the {targets.Count} frames has all its neighbours ({string.Join(", ", options.FrameIds.Where(f => !f.IsTarget))}) in the same sequence: " +
                $"check the '{columns.Sequence}' and '{columns.FrameIndex}' columns{(columns.Side is null ? string.Empty : $" and '{columns.Side}'")}.");
        }
    }

    /// <summary>Frames read (rows).</summary>
    public int FrameCount => frames.Count;

    /// <inheritdoc/>
    public override int Count => samples.Count;

    /// <inheritdoc/>
    public override bool HasTravel => steps.Count > 0;

    /// <inheritdoc/>
    public override string Describe(int index)
    {
        var s = samples[index];
        return string.Create(CultureInfo.InvariantCulture, $"row {s.Row} (sequence '{s.Sequence}', frame {s.Frame}, {s.Side})");
    }

    /// <inheritdoc/>
    protected override SampleFiles Resolve(int index)
    {
        var s = samples[index];
        var keys = Options.FrameIds.ToDictionary(id => id, id => NeighbourKey(s.Sequence, s.Frame, s.Side, id));
        return new SampleFiles(keys, s.K, s.Side == CameraSide.Left ? -1 : 1, Travel: Options.LoadTravel ? Travel(s.Sequence, s.Frame) : null);
    }

    private static double ParseTravel(string text, long row, string column)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return double.NaN;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && (double.IsNaN(d) || (double.IsFinite(d) && d >= 0))
            ? d
            : throw new InvalidDataException($"Row {row}: the travel column '{column}' holds '{text}'; metres since the previous frame (a number >= 0, or NaN / empty when unknown) are needed.");
    }

    private Dictionary<FrameId, double> Travel(string sequence, long target)
    {
        var result = new Dictionary<FrameId, double>();
        foreach (var id in Options.FrameIds.Where(f => !f.IsStereo && !f.IsTarget))
        {
            var (a, b) = id.Offset < 0 ? (target + id.Offset, target) : (target, target + id.Offset);
            var sum = 0.0;
            var known = true;
            for (var f = a + 1; f <= b && known; f++)
            {
                known = steps.TryGetValue((sequence, f), out var step);
                sum += step;
            }

            if (known)
            {
                result[id] = sum;
            }
        }

        return result;
    }

    /// <inheritdoc/>
    protected override RgbImage ReadFrame(string path, SampleFiles files)
    {
        var bytes = frames[path];
        var image = new RgbImage(Options.Width, Options.Height);
        var data = image.Data;
        for (var i = 0; i < bytes.Length; i++)
        {
            data[i] = bytes[i] / 255f;
        }

        return image;
    }

    private static string Key(string sequence, long frame, CameraSide side) =>
        string.Create(CultureInfo.InvariantCulture, $"{sequence}\u001f{frame}\u001f{(side == CameraSide.Left ? 'l' : 'r')}");

    private static string NeighbourKey(string sequence, long frame, CameraSide side, FrameId id) =>
        id.IsStereo ? Key(sequence, frame, side == CameraSide.Left ? CameraSide.Right : CameraSide.Left) : Key(sequence, frame + id.Offset, side);

    private static CameraSide ParseSide(string text, long row, string? column) => text.Trim().ToLowerInvariant() switch
    {
        "l" or "left" or "2" or "false" => CameraSide.Left,
        "r" or "right" or "3" or "true" => CameraSide.Right,
        _ => throw new InvalidDataException($"Row {row}: the side column '{column}' holds '{text}'; use l/left/2 or r/right/3."),
    };

    private static Intrinsics ToIntrinsics(float[] k, long row, string column) =>
        k.Length == 4 && k.All(v => float.IsFinite(v)) && k[0] > 0 && k[1] > 0
            ? new Intrinsics(k[0], k[1], k[2], k[3])
            : throw new InvalidDataException($"Row {row}: the intrinsics column '{column}' holds [{string.Join(", ", k)}]; 4 finite values fx, fy, cx, cy (normalised) with fx, fy > 0 are needed.");

    private static byte[] Pack(RgbImage image)
    {
        var bytes = new byte[image.Data.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = RgbImage.ToByte(image.Data[i]);
        }

        return bytes;
    }
}
