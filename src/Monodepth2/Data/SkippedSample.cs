namespace Monodepth2.Data;

/// <summary>A sample skipped because <see cref="DatasetOptions.SkipBadSamples"/> was set.</summary>
/// <param name="Index">Index of the sample in its dataset.</param>
/// <param name="Reason">The error message (names the file).</param>
public sealed record SkippedSample(int Index, string Reason);
