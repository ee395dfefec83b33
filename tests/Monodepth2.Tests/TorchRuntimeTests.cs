namespace Monodepth2.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void OldLibStdCxxIsNamedWithTheFix()
    {
        var fake = Path.GetTempFileName();
        try
        {
            File.WriteAllText(fake, "GLIBCXX_3.4.29\0GLIBCXX_3.4.30\0");
            var message = TorchRuntime.DescribeLoadFailure(new TypeInitializationException("torch", null), fake);
            Assert.Contains("GLIBCXX_3.4.32", message);
            Assert.Contains(fake, message);
            Assert.Contains(".config/setup.sh", message);
        }
        finally
        {
            File.Delete(fake);
        }
    }

    [Fact]
    public void NewEnoughLibStdCxxPointsAtThePackageInstead()
    {
        var fake = Path.GetTempFileName();
        try
        {
            File.WriteAllText(fake, "GLIBCXX_3.4.31\0GLIBCXX_3.4.32\0");
            var message = TorchRuntime.DescribeLoadFailure(new DllNotFoundException("libtorch"), fake);
            Assert.DoesNotContain("setup.sh", message);
            Assert.Contains("TorchSharp-cpu", message);
        }
        finally
        {
            File.Delete(fake);
        }
    }

    [Fact]
    public void ThisMachineLoadsTorch()
    {
        TorchRuntime.EnsureLoaded();
        using var t = TorchSharp.torch.ones(2);
        Assert.Equal(2f, t.sum().item<float>());
    }
}
