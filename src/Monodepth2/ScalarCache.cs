using System.Collections.Concurrent;
using TorchSharp;

namespace Monodepth2;

/// <summary>
/// Long-lived TorchSharp <see cref="Scalar"/>s for the constants used in tensor arithmetic.
/// <para>
/// Writing <c>tensor * 0.5</c> converts 0.5 into a temporary <see cref="Scalar"/> that nothing disposes; its finalizer
/// frees the native value. In optimised code the temporary is unreachable as soon as its handle has been read, so under
/// GC pressure (the parallel data loader allocates a lot) the finalizer can free it while libtorch still reads it, which
/// crashes with "Unknown scalar type" or worse (TorchSharp PRs 1434 and 1496 track this). Every Scalar handed out here is
/// held by a static dictionary for the life of the process, so it is never finalized. Use it for every number combined
/// with a tensor in the library's hot paths.
/// </para>
/// </summary>
public static class ScalarCache
{
    private static readonly ConcurrentDictionary<double, Scalar> Doubles = new();
    private static readonly ConcurrentDictionary<long, Scalar> Longs = new();

    /// <summary>The cached floating-point Scalar of <paramref name="value"/>.</summary>
    public static Scalar S(double value) => Doubles.GetOrAdd(value, static v => v.ToScalar());

    /// <summary>The cached integer Scalar of <paramref name="value"/>.</summary>
    public static Scalar S(long value) => Longs.GetOrAdd(value, static v => v.ToScalar());
}
