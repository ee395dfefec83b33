using static TorchSharp.torch;

namespace Monodepth2.Testing;

/// <summary>TorchSharp tests share global state (RNG, thread pool): run them one at a time. Linked into every test project.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "torch";
}

[Collection(TorchCollection.Name)]
public abstract class TorchTestBase
{
    protected TorchTestBase()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(1234);
    }

    protected static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    protected static float[] Values(Tensor t) => t.detach().cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray();

    protected static float Scalar(Tensor t) => t.detach().cpu().to(ScalarType.Float32).item<float>();

    protected static void AssertClose(double expected, double actual, double tolerance, string? what = null) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected}, got {actual} (tolerance {tolerance})");
}
