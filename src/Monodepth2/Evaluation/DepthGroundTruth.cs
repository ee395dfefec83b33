using Monodepth2.Data;
using Monodepth2.Imaging;

namespace Monodepth2.Evaluation;

/// <summary>
/// Ground-truth depth maps for the images of a split, in split order: per-image KITTI depth PNGs (read when needed) or
/// one array N x H x W from a <c>gt_depths.npz</c> like the reference's. Depth in metres, 0 = no measurement.
/// </summary>
public sealed class DepthGroundTruth
{
    private readonly Func<int, DepthMap> load;

    private DepthGroundTruth(int count, string source, Func<int, DepthMap> load)
    {
        Count = count;
        Source = source;
        this.load = load;
    }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Where the maps come from (a file or folder), for messages and reports.</summary>
    public string Source { get; }

    /// <summary>The map of image <paramref name="index"/>.</summary>
    /// <exception cref="InvalidDataException">The ground-truth file is malformed; the message names it.</exception>
    public DepthMap Load(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Image {index} is outside 0..{Count - 1} of {Source}.");
        }

        return load(index);
    }

    /// <summary>Maps held in memory.</summary>
    public static DepthGroundTruth FromMaps(IReadOnlyList<DepthMap> maps, string source = "in-memory ground truth")
    {
        ArgumentNullException.ThrowIfNull(maps);
        return new DepthGroundTruth(maps.Count, source, i => maps[i]);
    }

    /// <summary>
    /// The KITTI depth-benchmark PNGs of a KITTI-raw split:
    /// <c>root/&lt;folder&gt;/proj_depth/groundtruth/image_0{2,3}/&lt;10-digit frame&gt;.png</c> (the files
    /// <see cref="KittiRawDataset"/> loads with <c>loadGroundTruth</c>); a line without a side means the left camera.
    /// </summary>
    public static DepthGroundTruth FromKittiSplit(string root, IReadOnlyList<SplitEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var source = entries.Count > 0 && entries[0].SourceFile is { } file ? $"depth PNGs under {root} for {file}" : $"depth PNGs under {root}";
        return new DepthGroundTruth(entries.Count, source, i =>
        {
            var e = entries[i];
            var path = KittiRawDataset.GroundTruthPath(root, e.Folder, e.FrameIndex, e.Side ?? CameraSide.Left);
            try
            {
                var (depth, w, h) = ImageFiles.ReadDepthPng(path);
                return new DepthMap(depth, w, h);
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException($"Ground truth of {e.Location} '{e.ToLine()}': {ex.Message}", ex);
            }
        });
    }

    /// <summary>
    /// An array N x H x W (float32 or float64) stored under <paramref name="key"/> (the reference uses "data") in a
    /// <c>.npz</c>, or in a plain <c>.npy</c>. The reference's own file holds an object array when the image sizes differ;
    /// that needs pickle and is refused with a message saying how to re-save it.
    /// </summary>
    /// <exception cref="InvalidDataException">The file or array is malformed; the message names the file and the shape.</exception>
    public static DepthGroundTruth FromNumpy(string path, string key = "data")
    {
        var array = path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? NpyFile.Read(path) : NpyFile.ReadNpz(path, key);
        if (array.Shape.Count != 3 || array.Shape.Any(d => d <= 0))
        {
            throw new InvalidDataException(
                $"{path}: ground truth '{key}' has shape {array.ShapeText}; expected a non-empty N x H x W depth array (one map per image of the split).");
        }

        var n = (int)array.Shape[0];
        var h = (int)array.Shape[1];
        var w = (int)array.Shape[2];
        var plane = h * w;
        return new DepthGroundTruth(n, path, i =>
        {
            var depth = new float[plane];
            if (array.Float32 is { } f)
            {
                Array.Copy(f, (long)i * plane, depth, 0, plane);
            }
            else
            {
                var d = array.Float64!;
                for (var k = 0; k < plane; k++)
                {
                    depth[k] = (float)d[((long)i * plane) + k];
                }
            }

            return new DepthMap(depth, w, h);
        });
    }
}
