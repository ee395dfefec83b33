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
    private readonly ConcurrentDictionary<(string Path, bool Flip), IReadOnlyList<RgbImage>> pyramids = new();
    private readonly ConcurrentDictionary<string, Lazy<CameraTravel?>> travels = new(StringComparer.Ordinal);
    private long cachedBytes;

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

    /// <summary>Bytes of frame pyramids held by the cache (<see cref="DatasetOptions.FrameCacheMegabytes"/>).</summary>
    internal long CachedBytes => Interlocked.Read(ref cachedBytes);

    /// <inheritdoc/>
    public IReadOnlyList<SkippedSample> Skipped => skipped.Values.OrderBy(s => s.Index).ToList();

    /// <inheritdoc/>
    public abstract string Describe(int index);

    /// <inheritdoc/>
    public virtual bool HasTravel => TravelSequences().Distinct(StringComparer.Ordinal).Any(s => TravelOf(s) is not null);

    /// <summary>The sequences (drives) the samples come from, as <see cref="ReadSequenceTravel"/> names them (default none).</summary>
    protected virtual IEnumerable<string> TravelSequences() => [];

    /// <summary>Reads one sequence's camera travel from its source (poses, oxts, speeds); null when it has none (default).</summary>
    /// <exception cref="InvalidDataException">The source is malformed; the message names the file.</exception>
    protected virtual CameraTravel? ReadSequenceTravel(string sequence) => null;

    /// <summary>One sequence's camera travel, read once by <see cref="ReadSequenceTravel"/> and kept.</summary>
    protected CameraTravel? TravelOf(string sequence) =>
        travels.GetOrAdd(sequence, s => new Lazy<CameraTravel?>(() => ReadSequenceTravel(s))).Value;

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

    /// <summary>
    /// The (optionally mirrored) frame and its pyramid: from the cache when it holds them, else read, resized and built,
    /// then kept while the cache is under its budget. Cached images are shared between samples and never modified.
    /// </summary>
    private IReadOnlyList<RgbImage> PyramidOf(string path, SampleFiles files, bool flip)
    {
        if (pyramids.TryGetValue((path, flip), out var cached))
        {
            return cached;
        }

        var full = ReadFrame(path, files);
        if (flip)
        {
            full = ImageOps.FlipHorizontal(full);
        }

        var built = ImageOps.Pyramid(full, Options.Scales);
        var budget = (long)Options.FrameCacheMegabytes << 20;
        if (budget > 0)
        {
            var bytes = built.Sum(level => (long)level.Data.Length * sizeof(float));
            if (Interlocked.Add(ref cachedBytes, bytes) <= budget && pyramids.TryAdd((path, flip), built))
            {
                return built;
            }

            Interlocked.Add(ref cachedBytes, -bytes);
        }

        return built;
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
            var pyramid = PyramidOf(path, files, flip);
            pyramids[id] = pyramid;
            augmented[id] = jitter is null ? pyramid[0] : ColorJitter.Apply(pyramid[0], jitter);
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

        return new MonodepthSample(index, Describe(index), pyramids, augmented, paths, files.Intrinsics, files.SideSign, flip, jitter, gt, files.Travel);
    }
}
