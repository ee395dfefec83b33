using System.Globalization;

namespace Monodepth2.Data;

/// <summary>
/// A frame of a training sample relative to its target: a temporal offset (0 = the target, -1 = previous, +1 = next)
/// or the stereo partner <c>"s"</c> (the other camera at the same time stamp).
/// </summary>
public readonly record struct FrameId
{
    private FrameId(int offset, bool isStereo)
    {
        Offset = offset;
        IsStereo = isStereo;
    }

    /// <summary>The target frame (offset 0).</summary>
    public static FrameId Target { get; } = new(0, false);

    /// <summary>The stereo partner, written <c>"s"</c>.</summary>
    public static FrameId Stereo { get; } = new(0, true);

    /// <summary>Temporal offset from the target (0 for the stereo partner).</summary>
    public int Offset { get; }

    /// <summary>Whether this is the stereo partner rather than a temporal neighbour.</summary>
    public bool IsStereo { get; }

    /// <summary>Whether this is the target frame itself.</summary>
    public bool IsTarget => !IsStereo && Offset == 0;

    /// <summary>A temporal neighbour at <paramref name="offset"/> frames from the target.</summary>
    public static FrameId Temporal(int offset) => new(offset, false);

    /// <summary>Parses <c>"s"</c> or a signed integer such as <c>"0"</c>, <c>"-1"</c>, <c>"+1"</c>.</summary>
    /// <exception cref="FormatException">Neither.</exception>
    public static FrameId Parse(string text)
    {
        var t = text.Trim();
        if (t is "s" or "S")
        {
            return Stereo;
        }

        return int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var offset)
            ? Temporal(offset)
            : throw new FormatException($"Frame id '{text}' is neither \"s\" nor an integer offset.");
    }

    /// <summary>Implicit conversion from a temporal offset.</summary>
    public static implicit operator FrameId(int offset) => Temporal(offset);

    /// <summary>"s" or the signed offset ("0", "-1", "+1").</summary>
    public override string ToString() => IsStereo ? "s" : Offset > 0 ? "+" + Offset.ToString(CultureInfo.InvariantCulture) : Offset.ToString(CultureInfo.InvariantCulture);
}
