using Monodepth2.Geometry;
using Monodepth2.Training;

namespace Monodepth2.Data.Synthetic;

/// <summary>
/// Settings of a synthetic street data set: image size, camera, how many streets (sequences) and frames, stereo, and how
/// sequences are split into train / val / test. The same options (seed included) always give byte-identical files.
/// </summary>
public sealed record SyntheticWorldOptions
{
    /// <summary>Moving cars per street in <see cref="WithHardStreets"/>.</summary>
    public const int HardMovingCars = 3;

    /// <summary>The most moving cars a street may have.</summary>
    public const int MaxMovingCars = 12;

    /// <summary>Rendered image width in pixels (default 640, the Monodepth2 training width).</summary>
    public int Width { get; init; } = TrainingOptions.DefaultWidth;

    /// <summary>Rendered image height in pixels (default 192, the Monodepth2 training height).</summary>
    public int Height { get; init; } = TrainingOptions.DefaultHeight;

    /// <summary>Number of sequences (drives); each is a different, seeded street (default 10).</summary>
    public int Sequences { get; init; } = 10;

    /// <summary>Frames per sequence, at least 3 so a frame with both neighbours exists (default 100).</summary>
    public int FramesPerSequence { get; init; } = 100;

    /// <summary>Seed of everything random: street layouts, textures, camera paths (default 1).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Also render the right camera (<c>image_03</c>) of a rectified stereo pair (default false).</summary>
    public bool Stereo { get; init; }

    /// <summary>Stereo baseline in metres: the right camera sits this far along the left camera's x axis (default 0.54, KITTI's).</summary>
    public double Baseline { get; init; } = StereoBaseline.Kitti;

    /// <summary>Normalised pinhole intrinsics, applied at <see cref="Width"/> x <see cref="Height"/> (default <see cref="Intrinsics.Kitti"/>).</summary>
    public Intrinsics Intrinsics { get; init; } = Intrinsics.Kitti;

    /// <summary>Camera height above the flat road in metres (default 1.65, KITTI's colour cameras).</summary>
    public double CameraHeight { get; init; } = 1.65;

    /// <summary>Slowest per-sequence camera speed in metres per frame (default 0.8; KITTI drives at about 8-12 m/s at 10 Hz).</summary>
    public double MinSpeed { get; init; } = 0.8;

    /// <summary>Fastest per-sequence camera speed in metres per frame (default 1.2). Each sequence draws one constant speed in [MinSpeed, MaxSpeed].</summary>
    public double MaxSpeed { get; init; } = 1.2;

    /// <summary>
    /// Camera shake (default false): the camera sways sideways by up to about 0.35 m around its path and wobbles by about
    /// a degree in yaw and pitch, as a dash camera on a real road; off, it only weaves smoothly in yaw.
    /// </summary>
    public bool CameraSway { get; init; }

    /// <summary>
    /// Varying speed (default false): each street's speed drifts between about 0.4 and 1.3 times its cruise speed (drawn in
    /// [MinSpeed, MaxSpeed]) and the car stops now and then for 6-20 frames (where the scene is static and Monodepth2's
    /// auto-masking matters); off, the camera moves the constant cruise speed every frame.
    /// </summary>
    public bool VaryingSpeed { get; init; }

    /// <summary>
    /// Varying light (default false): each street gets its own exposure (a gain of 0.6-1.5, saturating at white) and sun
    /// strength (from flat, overcast light to a harsh sun); off, every street has the same mild light (the sun's direction
    /// varies per street either way).
    /// </summary>
    public bool VaryingLight { get; init; }

    /// <summary>Plain asphalt (default false): the road has no markings and only a faint grain, so it is weakly textured.</summary>
    public bool PlainAsphalt { get; init; }

    /// <summary>
    /// Other cars driving at their own speed (default 0, at most 12): every third one ahead in the camera's lane, faster
    /// than the camera, the others oncoming in the other lane. Their pixels are <see cref="SurfaceKind.MovingCar"/>.
    /// </summary>
    public int MovingCars { get; init; }

    /// <summary>Whether any of the harder-street switches is on.</summary>
    public bool IsHard => CameraSway || VaryingSpeed || VaryingLight || PlainAsphalt || MovingCars > 0;

    /// <summary>
    /// These options with every harder-street switch on: camera sway, varying speed with stops, varying light, plain
    /// asphalt and three moving cars per street (the demo's default world; <c>synth --world hard</c>).
    /// </summary>
    public SyntheticWorldOptions WithHardStreets() =>
        this with { CameraSway = true, VaryingSpeed = true, VaryingLight = true, PlainAsphalt = true, MovingCars = HardMovingCars };

    /// <summary>
    /// These options with the harder-street switches named by <paramref name="world"/>: <c>easy</c> (none), <c>hard</c>
    /// (all, as <see cref="WithHardStreets"/>), or a comma list of <c>sway</c>, <c>speed</c>, <c>light</c>,
    /// <c>asphalt</c> and <c>cars</c> (<see cref="HardMovingCars"/> moving cars per street).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    public SyntheticWorldOptions WithWorld(string world)
    {
        ArgumentNullException.ThrowIfNull(world);
        var plain = this with { CameraSway = false, VaryingSpeed = false, VaryingLight = false, PlainAsphalt = false, MovingCars = 0 };
        switch (world.Trim().ToLowerInvariant())
        {
            case "easy":
                return plain;
            case "hard":
                return plain.WithHardStreets();
        }

        var options = plain;
        foreach (var part in world.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            options = part.ToLowerInvariant() switch
            {
                "sway" => options with { CameraSway = true },
                "speed" => options with { VaryingSpeed = true },
                "light" => options with { VaryingLight = true },
                "asphalt" => options with { PlainAsphalt = true },
                "cars" => options with { MovingCars = HardMovingCars },
                _ => throw new ArgumentException(
                    $"Unknown world '{part}' in '{world}': use easy, hard, or a comma list of sway, speed, light, asphalt, cars.", nameof(world)),
            };
        }

        return options;
    }

    /// <summary>The harder-street switches that are on, as <see cref="WithWorld"/> reads them: easy, hard, or a comma list.</summary>
    public string WorldName()
    {
        if (this == WithWorld("hard"))
        {
            return "hard";
        }

        var parts = new[] { (CameraSway, "sway"), (VaryingSpeed, "speed"), (VaryingLight, "light"), (PlainAsphalt, "asphalt"), (MovingCars > 0, "cars") };
        var on = parts.Where(p => p.Item1).Select(p => p.Item2).ToArray();
        var name = on.Length == 0 ? "easy" : string.Join(',', on);
        return MovingCars is > 0 and not HardMovingCars ? $"{name} ({MovingCars} moving cars)" : name;
    }

    /// <summary>
    /// Colour samples per pixel along each axis (1-4, default 1): n x n sub-pixel rays are averaged, anti-aliasing object
    /// edges at n^2 times the shading cost (textures are band-limited either way). Depth and the other ground-truth
    /// layers always come from the pixel-centre ray.
    /// </summary>
    public int Supersampling { get; init; } = 1;

    /// <summary>Colour frame file format (default PNG).</summary>
    public SyntheticImageFormat ImageFormat { get; init; } = SyntheticImageFormat.Png;

    /// <summary>JPEG quality 1-100 when <see cref="ImageFormat"/> is JPEG (default 95).</summary>
    public int JpegQuality { get; init; } = 95;

    /// <summary>Number of sequences held out for testing: the last ones (default 1).</summary>
    public int TestSequences { get; init; } = 1;

    /// <summary>Number of sequences held out for validation: the ones just before the test sequences (default 1).</summary>
    public int ValSequences { get; init; } = 1;

    /// <summary>The KITTI-style date folder name all drives are written under (default <c>2000_01_01</c>).</summary>
    public string Date { get; init; } = "2000_01_01";

    /// <summary>Number of training sequences: <see cref="Sequences"/> minus the test and validation ones.</summary>
    public int TrainSequences => Sequences - TestSequences - ValSequences;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message and parameter name name it.</exception>
    public void Validate()
    {
        Require(Width > 0, nameof(Width), $"must be positive (got {Width}).");
        Require(Height > 0, nameof(Height), $"must be positive (got {Height}).");
        Require(Sequences >= 1, nameof(Sequences), $"must be at least 1 (got {Sequences}).");
        Require(FramesPerSequence >= 3, nameof(FramesPerSequence), $"must be at least 3 so a frame has both neighbours (got {FramesPerSequence}).");
        Require(double.IsFinite(Baseline) && Baseline > 0, nameof(Baseline), $"must be a positive number of metres (got {Baseline}).");
        Require(Intrinsics is not null, nameof(Intrinsics), "must be set.");
        Require(
            double.IsFinite(Intrinsics!.Fx) && Intrinsics.Fx > 0 && double.IsFinite(Intrinsics.Fy) && Intrinsics.Fy > 0 &&
            double.IsFinite(Intrinsics.Cx) && double.IsFinite(Intrinsics.Cy),
            nameof(Intrinsics),
            $"need positive finite focal lengths and a finite principal point (got {Intrinsics}).");
        Require(double.IsFinite(CameraHeight) && CameraHeight > 0, nameof(CameraHeight), $"must be positive (got {CameraHeight}).");
        Require(double.IsFinite(MinSpeed) && MinSpeed > 0, nameof(MinSpeed), $"must be positive (got {MinSpeed}).");
        Require(double.IsFinite(MaxSpeed) && MaxSpeed >= MinSpeed && MaxSpeed <= 5, nameof(MaxSpeed), $"must be in [MinSpeed, 5] metres per frame (got {MaxSpeed}).");
        Require(MovingCars is >= 0 and <= MaxMovingCars, nameof(MovingCars), $"must be in 0..{MaxMovingCars} (got {MovingCars}).");
        Require(Supersampling is >= 1 and <= 4, nameof(Supersampling), $"must be in 1..4 (got {Supersampling}).");
        Require(Enum.IsDefined(ImageFormat), nameof(ImageFormat), $"is not a known format ({ImageFormat}).");
        Require(JpegQuality is >= 1 and <= 100, nameof(JpegQuality), $"must be in 1..100 (got {JpegQuality}).");
        Require(TestSequences >= 0, nameof(TestSequences), $"must not be negative (got {TestSequences}).");
        Require(ValSequences >= 0, nameof(ValSequences), $"must not be negative (got {ValSequences}).");
        Require(
            TrainSequences >= 1,
            nameof(Sequences),
            $"must leave at least one training sequence after {TestSequences} test and {ValSequences} validation sequences (got {Sequences}).");
        Require(
            !string.IsNullOrWhiteSpace(Date) && Date.IndexOfAny(['/', '\\', ' ']) < 0 && Date.IndexOfAny(Path.GetInvalidFileNameChars()) < 0,
            nameof(Date),
            $"must be a plain folder name (got '{Date}').");
    }

    private static void Require(bool ok, string option, string message)
    {
        if (!ok)
        {
            throw new ArgumentException($"{nameof(SyntheticWorldOptions)}.{option} {message}", option);
        }
    }
}
