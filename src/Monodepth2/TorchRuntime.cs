using System.Runtime.InteropServices;
using TorchSharp;

namespace Monodepth2;

/// <summary>
/// Loads TorchSharp's native runtime once and turns a failed load into an error that names the real cause.
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool loaded;
    private static long quiesceTicks;

    /// <summary>The libstdc++ symbol version that TorchSharp 0.107's native library needs.</summary>
    public const string RequiredGlibcxx = "GLIBCXX_3.4.32";

    /// <summary>
    /// Initialises TorchSharp's CPU backend. Call before creating tensors; cheap after the first call.
    /// </summary>
    /// <exception cref="InvalidOperationException">The native runtime cannot be loaded; the message says why and how to fix it.</exception>
    public static void EnsureLoaded()
    {
        if (loaded)
        {
            return;
        }

        lock (Gate)
        {
            if (loaded)
            {
                return;
            }

            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new InvalidOperationException(DescribeLoadFailure(ex), ex);
            }

            loaded = true;
        }
    }

    /// <summary>
    /// Runs a blocking young-generation collection and waits for pending finalizers. Call at safe points (no tensor
    /// operation in flight on any thread) before native work such as a training step or a forward pass.
    /// <para>
    /// Why: TorchSharp turns numbers into temporary <c>Scalar</c> objects inside many of its own methods (for example
    /// <c>add_(t)</c> passes alpha = 1, and every optimiser step uses several) and lets the finalizer free them. In
    /// optimised code such a temporary is unreachable while libtorch still reads it, so a collection triggered by another
    /// thread (a data loader, or the finalizer thread itself) during that native call can free it underneath, which
    /// crashes with "Unknown scalar type". Draining garbage here, and not allocating on other threads during native work
    /// (see <c>BatchLoader</c>'s prefetch option), closes that window.
    /// </para>
    /// </summary>
    public static void QuiesceFinalizers()
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        GC.Collect(1, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        Interlocked.Add(ref quiesceTicks, System.Diagnostics.Stopwatch.GetTimestamp() - start);
    }

    /// <summary>Total time spent in <see cref="QuiesceFinalizers"/> by this process (for the train-speed benchmark).</summary>
    internal static TimeSpan QuiesceTime => System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref quiesceTicks));

    /// <summary>Explains a TorchSharp load failure, naming a too-old libstdc++ when that is the cause.</summary>
    internal static string DescribeLoadFailure(Exception ex) => DescribeLoadFailure(ex, FindLibStdCxx());

    /// <summary>As <see cref="DescribeLoadFailure(Exception)"/>, with the C++ runtime to inspect given.</summary>
    internal static string DescribeLoadFailure(Exception ex, string? libstdcxx)
    {
        if (libstdcxx is not null && File.Exists(libstdcxx) && !FileContains(libstdcxx, RequiredGlibcxx))
        {
            return $"TorchSharp could not load its native library: {libstdcxx} does not provide {RequiredGlibcxx}, " +
                   "which TorchSharp 0.107 (built with GCC 15) needs. On Debian 12 run `sudo bash .config/setup.sh` from the " +
                   "Monodepth2.MLNet repository (it installs libstdc++6 from Debian 13), or install a libstdc++6 from GCC 13 " +
                   $"or newer. Original error: {ex.Message}";
        }

        return "TorchSharp could not load its native library (libtorch). Check that the TorchSharp-cpu (or " +
               $"TorchSharp-cuda-linux) package is referenced by the application. Original error: {ex.Message}";
    }

    private static string? FindLibStdCxx()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
        string[] candidates = [$"/lib/{arch}/libstdc++.so.6", $"/usr/lib/{arch}/libstdc++.so.6", "/usr/lib64/libstdc++.so.6"];
        return candidates.FirstOrDefault(File.Exists);
    }

    internal static bool FileContains(string path, string ascii)
    {
        var needle = System.Text.Encoding.ASCII.GetBytes(ascii);
        var bytes = File.ReadAllBytes(path);
        return bytes.AsSpan().IndexOf(needle) >= 0;
    }
}
