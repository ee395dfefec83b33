using static TorchSharp.torch;

namespace Monodepth2.Geometry;

/// <summary>
/// Pinhole intrinsics normalised by image size (fx / W, fy / H, cx / W, cy / H), as Monodepth2 keeps them, so one set
/// serves every resolution and scale.
/// </summary>
/// <param name="Fx">Focal length over image width.</param>
/// <param name="Fy">Focal length over image height.</param>
/// <param name="Cx">Principal point x over image width.</param>
/// <param name="Cy">Principal point y over image height.</param>
public sealed record Intrinsics(double Fx, double Fy, double Cx, double Cy)
{
    /// <summary>The fixed KITTI intrinsics the reference uses for every raw sequence: 0.58, 1.92, 0.5, 0.5.</summary>
    public static Intrinsics Kitti { get; } = new(0.58, 1.92, 0.5, 0.5);

    /// <summary>Creates normalised intrinsics from pixel values measured on a <paramref name="width"/> x <paramref name="height"/> image.</summary>
    public static Intrinsics FromPixels(double fx, double fy, double cx, double cy, double width, double height)
    {
        if (!(width > 0) || !(height > 0))
        {
            throw new ArgumentException($"Image size must be positive (got {width} x {height}).");
        }

        return new Intrinsics(fx / width, fy / height, cx / width, cy / height);
    }

    /// <summary>
    /// The 4x4 pixel intrinsics matrix for a <paramref name="width"/> x <paramref name="height"/> input at pyramid
    /// <paramref name="scale"/> (first row times W / 2^s, second times H / 2^s), as a double array, row major.
    /// </summary>
    public double[,] Matrix(int width, int height, int scale = 0)
    {
        var w = width / Math.Pow(2, scale);
        var h = height / Math.Pow(2, scale);
        return new double[,]
        {
            { Fx * w, 0, Cx * w, 0 },
            { 0, Fy * h, Cy * h, 0 },
            { 0, 0, 1, 0 },
            { 0, 0, 0, 1 },
        };
    }

    /// <summary>
    /// The inverse of <see cref="Matrix"/>, computed in double precision from the closed form
    /// (1/fx, 0, -cx/fx; 0, 1/fy, -cy/fy; 0, 0, 1). K is invertible, so this equals the reference's pseudo-inverse.
    /// </summary>
    public double[,] InverseMatrix(int width, int height, int scale = 0)
    {
        var k = Matrix(width, height, scale);
        double fx = k[0, 0], fy = k[1, 1], cx = k[0, 2], cy = k[1, 2];
        return new double[,]
        {
            { 1 / fx, 0, -cx / fx, 0 },
            { 0, 1 / fy, -cy / fy, 0 },
            { 0, 0, 1, 0 },
            { 0, 0, 0, 1 },
        };
    }

    /// <summary>The intrinsics matrix K [B, 4, 4] (float32) for a batch.</summary>
    public Tensor ToTensor(int width, int height, int scale, long batch, Device? device = null) =>
        BatchTensor(Enumerable.Repeat(this, (int)batch).ToArray(), width, height, scale, inverse: false, device);

    /// <summary>The inverse intrinsics K^-1 [B, 4, 4] (float32) for a batch.</summary>
    public Tensor InverseTensor(int width, int height, int scale, long batch, Device? device = null) =>
        BatchTensor(Enumerable.Repeat(this, (int)batch).ToArray(), width, height, scale, inverse: true, device);

    /// <summary>
    /// K (or, with <paramref name="inverse"/>, the closed-form K^-1) of each sample's intrinsics as one float32 tensor
    /// [B, 4, 4], for a <paramref name="width"/> x <paramref name="height"/> input at pyramid <paramref name="scale"/>.
    /// </summary>
    public static Tensor BatchTensor(IReadOnlyList<Intrinsics> perSample, int width, int height, int scale, bool inverse, Device? device = null)
    {
        var flat = new float[perSample.Count * 16];
        for (var i = 0; i < perSample.Count; i++)
        {
            var m = inverse ? perSample[i].InverseMatrix(width, height, scale) : perSample[i].Matrix(width, height, scale);
            for (var r = 0; r < 4; r++)
            {
                for (var c = 0; c < 4; c++)
                {
                    flat[(i * 16) + (r * 4) + c] = (float)m[r, c];
                }
            }
        }

        return tensor(flat, [perSample.Count, 4, 4], device: device);
    }
}
