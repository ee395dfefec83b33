using Monodepth2.Data.Synthetic;
using Monodepth2.Geometry;

namespace Monodepth2.Tests.Data.Synthetic;

public sealed class SyntheticWorldOptionsTests
{
    public static TheoryData<string, SyntheticWorldOptions> Invalid() => new()
    {
        { "Width", new SyntheticWorldOptions { Width = 0 } },
        { "Height", new SyntheticWorldOptions { Height = -4 } },
        { "Sequences", new SyntheticWorldOptions { Sequences = 0 } },
        { "FramesPerSequence", new SyntheticWorldOptions { FramesPerSequence = 2 } },
        { "Baseline", new SyntheticWorldOptions { Baseline = 0 } },
        { "Intrinsics", new SyntheticWorldOptions { Intrinsics = new Intrinsics(0, 1.92, 0.5, 0.5) } },
        { "CameraHeight", new SyntheticWorldOptions { CameraHeight = double.NaN } },
        { "MinSpeed", new SyntheticWorldOptions { MinSpeed = 0 } },
        { "MaxSpeed", new SyntheticWorldOptions { MinSpeed = 1, MaxSpeed = 0.5 } },
        { "JpegQuality", new SyntheticWorldOptions { JpegQuality = 0 } },
        { "TestSequences", new SyntheticWorldOptions { TestSequences = -1 } },
        { "ValSequences", new SyntheticWorldOptions { ValSequences = -1 } },
        { "Sequences", new SyntheticWorldOptions { Sequences = 2, TestSequences = 1, ValSequences = 1 } },
        { "Date", new SyntheticWorldOptions { Date = "a/b" } },
        { "ImageFormat", new SyntheticWorldOptions { ImageFormat = (SyntheticImageFormat)7 } },
        { "Supersampling", new SyntheticWorldOptions { Supersampling = 0 } },
        { "MovingCars", new SyntheticWorldOptions { MovingCars = -1 } },
        { "MovingCars", new SyntheticWorldOptions { MovingCars = SyntheticWorldOptions.MaxMovingCars + 1 } },
    };

    [Theory]
    [InlineData("easy", false, false, false, false, 0)]
    [InlineData("hard", true, true, true, true, SyntheticWorldOptions.HardMovingCars)]
    [InlineData("sway", true, false, false, false, 0)]
    [InlineData(" Speed , cars ", false, true, false, false, SyntheticWorldOptions.HardMovingCars)]
    [InlineData("light,asphalt", false, false, true, true, 0)]
    public void WorldNamesSetExactlyTheirSwitches(string world, bool sway, bool speed, bool light, bool asphalt, int cars)
    {
        // Starting from every switch on, so a name that forgets to clear the others fails.
        var options = new SyntheticWorldOptions().WithHardStreets().WithWorld(world);
        Assert.Equal((sway, speed, light, asphalt, cars), (options.CameraSway, options.VaryingSpeed, options.VaryingLight, options.PlainAsphalt, options.MovingCars));
        Assert.Equal(options, new SyntheticWorldOptions().WithWorld(options.WorldName()));
    }

    [Fact]
    public void UnknownWorldNameIsRefusedNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SyntheticWorldOptions().WithWorld("sway,rain"));
        Assert.Contains("'rain'", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidOptionsThrowNamingTheOption(string option, SyntheticWorldOptions options)
    {
        var ex = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(option, ex.ParamName);
        Assert.Contains(option, ex.Message);
        Assert.Throws<ArgumentException>(() => new SyntheticWorld(options));
        Assert.Throws<ArgumentException>(() => SyntheticDatasetWriter.Write(Path.Combine(Path.GetTempPath(), "md2-never-written"), options));
    }

    [Fact]
    public void DefaultsAreValidAndKittiLike()
    {
        var o = new SyntheticWorldOptions();
        o.Validate();
        Assert.Equal((640, 192), (o.Width, o.Height));
        Assert.Equal(Intrinsics.Kitti, o.Intrinsics);
        Assert.Equal(0.54, o.Baseline);
        Assert.Equal(o.Sequences - 2, o.TrainSequences);
    }

    [Fact]
    public void SequenceAndFrameOutOfRangeAreRejected()
    {
        var o = new SyntheticWorldOptions { Width = 32, Height = 16, Sequences = 2, FramesPerSequence = 3, TestSequences = 0, ValSequences = 0 };
        Assert.Throws<ArgumentException>(() => new SyntheticWorld(o, 2));
        var world = new SyntheticWorld(o, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => world.Render(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => world.CameraToWorld(-1));
    }
}
