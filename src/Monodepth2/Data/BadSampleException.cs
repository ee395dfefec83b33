namespace Monodepth2.Data;

/// <summary>
/// A sample could not be loaded (missing neighbour, unreadable or truncated image, inconsistent size, bad intrinsics
/// or calibration file). The message names the sample and, through the inner exception's message, the file.
/// </summary>
public sealed class BadSampleException : Exception
{
    /// <summary>Creates the exception for sample <paramref name="index"/>.</summary>
    public BadSampleException(int index, string description, Exception inner)
        : base($"Sample {index} ({description}): {inner.Message}", inner)
    {
        Index = index;
        Description = description;
    }

    /// <summary>Index of the sample in its dataset.</summary>
    public int Index { get; }

    /// <summary>Where the sample came from (split line or sequence and frame).</summary>
    public string Description { get; }
}
