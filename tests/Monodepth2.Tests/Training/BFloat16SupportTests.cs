using Monodepth2.Training;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Training;

public sealed class BFloat16SupportTests : TorchTestBase
{
    private const string Avx2Only = "processor\t: 0\nflags\t\t: fpu vme sse sse2 avx avx2 fma f16c\nbugs\t\t: spectre_v1\n";
    private const string Avx512Bf16 = "processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512bw avx512_bf16 avx512_vnni\n";
    private const string Amx = "flags\t\t: avx512f amx_tile amx_bf16 amx_int8\n";

    [Fact]
    public void ReadsTheBFloat16FlagsOfProcCpuInfo()
    {
        Assert.False(BFloat16Support.InCpuFlags(Avx2Only));
        Assert.True(BFloat16Support.InCpuFlags(Avx512Bf16));
        Assert.True(BFloat16Support.InCpuFlags(Amx));
        Assert.False(BFloat16Support.InCpuFlags(string.Empty));
        // Whole flags only, and only on the flags line.
        Assert.False(BFloat16Support.InCpuFlags("flags\t\t: avx512_bf16x\nmodel name\t: avx512_bf16 lookalike\n"));
    }

    [Fact]
    public void ExplicitPrecisionsAreKeptAndAutoIsFloat32OffTheCpu()
    {
        Assert.Equal(ScalarType.Float32, BFloat16Support.ComputeType(TrainingPrecision.Float32, CPU));
        Assert.Equal(ScalarType.BFloat16, BFloat16Support.ComputeType(TrainingPrecision.BFloat16, CPU));
        Assert.Equal(ScalarType.Float32, BFloat16Support.ComputeType(TrainingPrecision.Auto, new Device(TorchSharp.DeviceType.CUDA, 0)));
    }
}
