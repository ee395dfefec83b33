namespace Monodepth2.Data.Synthetic;

/// <summary>What an axis-aligned scene box is, which decides its texture.</summary>
internal enum BoxMaterial : byte
{
    /// <summary>A building with floors, windows and a brick or plaster wall.</summary>
    Building,

    /// <summary>Car body: paint, with tail lights and a plate on the back.</summary>
    CarBody,

    /// <summary>Car cabin: mostly glass.</summary>
    CarCabin,

    /// <summary>Bin or crate.</summary>
    Bin,

    /// <summary>Lamp or sign pole.</summary>
    Pole,
}

/// <summary>
/// An axis-aligned box in the street frame (x right, y down, z forward) with its texture parameters. A reversed car
/// faces the camera (its front, with white lights, on the -z face).
/// </summary>
internal readonly record struct SceneBox(
    double MinX,
    double MinY,
    double MinZ,
    double MaxX,
    double MaxY,
    double MaxZ,
    BoxMaterial Material,
    uint Seed,
    double R,
    double G,
    double B,
    double FloorHeight,
    double BayWidth,
    bool Brick,
    bool Reversed = false)
{
    /// <summary>Surface kind seen on this box.</summary>
    public SurfaceKind Kind => Material == BoxMaterial.Building ? SurfaceKind.Building : SurfaceKind.Obstacle;
}
