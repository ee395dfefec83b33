namespace Monodepth2.Data.Synthetic;

/// <summary>
/// The face of an axis-aligned box a pixel sees, named by its outward normal in the street (world) frame: x right, y
/// down, z forward along the street, the first camera's axes.
/// </summary>
public enum BoxFace : byte
{
    /// <summary>Not a box (sky or ground).</summary>
    None,

    /// <summary>Outward normal -x (a face looking left, e.g. the street front of a right-hand building).</summary>
    NegativeX,

    /// <summary>Outward normal +x (a face looking right, e.g. the street front of a left-hand building).</summary>
    PositiveX,

    /// <summary>Outward normal -y (a roof: y points down).</summary>
    NegativeY,

    /// <summary>Outward normal +y (an underside).</summary>
    PositiveY,

    /// <summary>Outward normal -z (a face looking back at the approaching camera).</summary>
    NegativeZ,

    /// <summary>Outward normal +z (a face looking forward, away from the camera).</summary>
    PositiveZ,
}
