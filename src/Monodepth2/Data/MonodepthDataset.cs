using System.Collections.Concurrent;
using Monodepth2.Imaging;

namespace Monodepth2.Data;

/// <summary>
/// The loading pipeline shared by every layout: resolve the files of a sample, read each frame resized to
/// <see cref="DatasetOptions.Width"/> x <see cref="DatasetOptions.Height"/> (Lanczos-3), flip, build the pyramid, and
/// colour-jitter the full-resolution images. With <see cref="DatasetOptions.Augment"/>, the random draws are those
/// of the reference, in its order: colour jitter with probability 0.5, then flip with probability 0.5, then the
/// jitter parameters.
/// </summary>
public abstract class MonodepthDataset : IMonodepthDataset
{
    private readonly ConcurrentDictionary<int, SkippedSample> skipped = new();

    /// <summary>Validates and keeps the options.</summary>
    protected MonodepthDataset(DatasetOptions options)
    {
        options.Validate();
        Options = options;
    }

    /// <inheritdoc/>
    public DatasetOptions Options { get; }

    /// <inheritdoc/>
    public abstract int Count { get; }

    /// <inheritdoc/>
    public IReadOnlyList<SkippedSample> Skipped => skipped.Values.OrderBy(s => s.Index).ToList();

    /// <inheritdoc/>
    public abstract string Describe(int index);

    /// <inheritdoc/>
    public MonodepthSample GetSample(int index, Random rng)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Sample {index} is outside 0..{Count - 1}.");
        }

        var doColour = Options.Augment && rng.NextDouble() > 0.5;
        var doFlip = Options.Augment && rng.NextDouble() > 0.5;
        var jitter = doColour ? ColorJitter.Draw(rng) : null;
        try
        {
            return Load(index, doFlip, jitter);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
        {
            throw new BadSampleException(index, Describe(index), ex);
        }
    }

    /// <inheritdoc/>
    public MonodepthSample? TryGetSample(int index, Random rng)
    {
        if (!Options.SkipBadSamples)
        {
            return GetSample(index, rng);
        }

        if (skipped.ContainsKey(index))
        {
            return null;
        }

        try
        {
            return GetSample(index, rng);
        }
        catch (BadSampleException ex)
        {
            skipped.TryAdd(index, new SkippedSample(index, ex.Message));
            return null;
        }
    }

    /// <summary>
    /// Resolves sample <paramref name="index"/> to its files. Throw <see cref="IOException"/> (e.g.
    /// <see cref="FileNotFoundException"/>) or <see cref="InvalidDataException"/> naming the file when it cannot be.
    /// </summary>
    protected abstract SampleFiles Resolve(int index);

    /// <summary>
    /// Reads the frame <paramref name="path"/> of a sample at <see cref="DatasetOptions.Width"/> x
    /// <see cref="DatasetOptions.Height"/> (Lanczos-3), checking <see cref="SampleFiles.RequiredSize"/>. Sources that
    /// hold frames in memory override this and use <paramref name="path"/> as their key.
    /// </summary>
    protected virtual RgbImage ReadFrame(string path, SampleFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.RequiredSize is { } required)
        {
            var size = ImageFiles.ReadSize(path);
            if (size != required)
            {
                throw new InvalidDataException(
                    $"{path}: image is {size.Width} x {size.Height} but {files.SizeSource ?? "its sequence"} needs {required.Width} x {required.Height}.");
            }
        }

        return ImageFiles.ReadRgb(path, Options.Width, Options.Height);
    }

    private MonodepthSample Load(int index, bool flip, ColorJitterParameters? jitter)
    {
        var files = Resolve(index);
        var pyramids = new Dictionary<FrameId, IReadOnlyList<RgbImage>>();
        var augmented = new Dictionary<FrameId, RgbImage>();
        var paths = new Dictionary<FrameId, string>();
        foreach (var id in Options.FrameIds)
        {
            var path = files.Frames[id];
            var full = ReadFrame(path, files);
            if (flip)
            {
                full = ImageOps.FlipHorizontal(full);
            }

            pyramids[id] = ImageOps.Pyramid(full, Options.Scales);
            augmented[id] = jitter is null ? full : ColorJitter.Apply(full, jitter);
            paths[id] = path;
        }

        DepthMap? gt = null;
        if (files.GroundTruth is { } gtPath)
        {
            var (depth, w, h) = ImageFiles.ReadDepthPng(gtPath);
            gt = new DepthMap(depth, w, h);
            if (flip)
            {
                gt = gt.FlipHorizontal();
            }
        }

        return new MonodepthSample(index, Describe(index), pyramids, augmented, paths, files.Intrinsics, files.SideSign, flip, jitter, gt);
    }
}
