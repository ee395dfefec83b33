namespace Monodepth2.Data;

/// <summary>
/// A source of training samples, free of TorchSharp (CPU data only) and thread-safe: several samples may load in
/// parallel. Augmentation is drawn from the <see cref="Random"/> passed in, so a sample is deterministic given it.
/// </summary>
public interface IMonodepthDataset
{
    /// <summary>How samples are loaded.</summary>
    DatasetOptions Options { get; }

    /// <summary>Number of samples.</summary>
    int Count { get; }

    /// <summary>Where sample <paramref name="index"/> comes from (split line, or sequence and frame).</summary>
    string Describe(int index);

    /// <summary>
    /// Whether some sample's camera travel can be known (a poses, oxts or speeds source exists), for velocity
    /// supervision; samples then carry it when <see cref="DatasetOptions.LoadTravel"/> is set.
    /// </summary>
    bool HasTravel => false;

    /// <summary>Loads sample <paramref name="index"/>.</summary>
    /// <exception cref="BadSampleException">The sample cannot be loaded; the message names the file.</exception>
    MonodepthSample GetSample(int index, Random rng);

    /// <summary>
    /// Loads sample <paramref name="index"/>; when <see cref="DatasetOptions.SkipBadSamples"/> is set, a bad sample is
    /// recorded in <see cref="Skipped"/> and null returned (later calls for it return null at once); otherwise throws.
    /// </summary>
    /// <exception cref="BadSampleException">The sample cannot be loaded and skipping is off.</exception>
    MonodepthSample? TryGetSample(int index, Random rng);

    /// <summary>The samples skipped so far, by index, with the reasons.</summary>
    IReadOnlyList<SkippedSample> Skipped { get; }
}
