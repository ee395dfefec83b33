using TorchSharp;
using static TorchSharp.torch;

namespace Monodepth2.Training;

/// <summary>Whether this machine computes in bfloat16 natively, and the networks' compute type that <see cref="TrainingPrecision"/> gives on a device.</summary>
internal static class BFloat16Support
{
    private static readonly Lazy<bool> CpuHasBFloat16 = new(() => InCpuFlags(ReadCpuInfo()));

    /// <summary>The type the networks compute in: float32 or bfloat16.</summary>
    public static ScalarType ComputeType(TrainingPrecision precision, Device device) => precision switch
    {
        TrainingPrecision.BFloat16 => ScalarType.BFloat16,
        TrainingPrecision.Auto when device.type == DeviceType.CPU && CpuHasBFloat16.Value => ScalarType.BFloat16,
        _ => ScalarType.Float32,
    };

    /// <summary>Whether a /proc/cpuinfo text lists bfloat16 instructions (avx512_bf16 or amx_bf16) among its flags.</summary>
    public static bool InCpuFlags(string cpuInfo) =>
        cpuInfo.Split('\n')
            .Where(line => line.StartsWith("flags", StringComparison.Ordinal))
            .Any(line => line.Split([' ', '\t', ':'], StringSplitOptions.RemoveEmptyEntries).Any(f => f is "avx512_bf16" or "amx_bf16"));

    private static string ReadCpuInfo()
    {
        try
        {
            return File.Exists("/proc/cpuinfo") ? File.ReadAllText("/proc/cpuinfo") : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
