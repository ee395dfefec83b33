namespace Monodepth2.Data.Synthetic;

/// <summary>File format of the colour frames a <see cref="SyntheticDatasetWriter"/> writes.</summary>
public enum SyntheticImageFormat
{
    /// <summary>Lossless 8-bit RGB PNG (<c>.png</c>), the default.</summary>
    Png,

    /// <summary>JPEG (<c>.jpg</c>) with <see cref="SyntheticWorldOptions.JpegQuality"/>, like the reference's converted KITTI.</summary>
    Jpeg,
}
