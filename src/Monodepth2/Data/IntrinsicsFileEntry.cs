using Monodepth2.Geometry;

namespace Monodepth2.Data;

/// <summary>The content of an <see cref="IntrinsicsFile"/>.</summary>
/// <param name="Normalized">True for <c>normalized</c> values (fx / W, ...), false for <c>pixels</c>.</param>
/// <param name="Fx">Focal length x.</param>
/// <param name="Fy">Focal length y.</param>
/// <param name="Cx">Principal point x.</param>
/// <param name="Cy">Principal point y.</param>
/// <param name="Width">For pixels: the image width they were measured on, when given.</param>
/// <param name="Height">For pixels: the image height they were measured on, when given.</param>
/// <param name="Source">The file.</param>
public sealed record IntrinsicsFileEntry(bool Normalized, double Fx, double Fy, double Cx, double Cy, int? Width, int? Height, string Source)
{
    /// <summary>Normalised intrinsics; pixel values are divided by the given image size.</summary>
    public Intrinsics ToIntrinsics(int imageWidth, int imageHeight) =>
        Normalized ? new Intrinsics(Fx, Fy, Cx, Cy) : Intrinsics.FromPixels(Fx, Fy, Cx, Cy, imageWidth, imageHeight);
}
