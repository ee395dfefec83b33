using Monodepth2.Data;
using Monodepth2.Imaging;
using Monodepth2.Training;

namespace Monodepth2.Tests.Data;

/// <summary>Tiny datasets written into a temp folder: 64x32 frames whose colour encodes (frame, side) and whose blue channel is a horizontal ramp.</summary>
public abstract class DataFixture : IDisposable
{
    public const int W = 64;
    public const int H = 32;

    protected DataFixture() => Root = Directory.CreateTempSubdirectory("md2-data-").FullName;

    protected string Root { get; }

    /// <summary>Training settings for the tiny data sets: 64x64, batch 2, scratch, two workers, a progress report per step, no TensorBoard, seed 7.</summary>
    protected static TrainingOptions TinyTraining { get; } = new()
    {
        Width = 64,
        Height = 64,
        BatchSize = 2,
        WeightsInit = WeightsInit.Scratch,
        Workers = 2,
        LogFrequency = 1,
        TensorBoard = false,
        Seed = 7,
    };

    /// <summary>Writes a 6-frame KITTI-raw drive and returns a training set of its frames 1..4 (left camera, both neighbours present).</summary>
    protected Func<DatasetOptions, IMonodepthDataset> TinyKittiRawTraining()
    {
        WriteKittiRaw(6);
        var entries = Enumerable.Range(1, 4).Select(f => new SplitEntry(Drive, f, CameraSide.Left)).ToList();
        return d => new KittiRawDataset(Root, entries, d);
    }

    public static DatasetOptions Options(params FrameId[] ids) => new()
    {
        Width = W,
        Height = H,
        FrameIds = ids.Length == 0 ? [0, -1, 1] : ids,
        Augment = false,
    };

    /// <summary>Red = frame / 255 * 10, green = 50 (left) or 150 (right) / 255, blue = x / (w - 1) quantised.</summary>
    public static RgbImage Frame(int frame, CameraSide side, int width = W, int height = H)
    {
        var img = new RgbImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                img.SetPixel(x, y, (10 * frame) / 255f, (side == CameraSide.Left ? 50 : 150) / 255f, MathF.Round(255f * x / (width - 1)) / 255f);
            }
        }

        return img;
    }

    /// <summary>Which frame and side an image (any pyramid level) shows, from its centre pixel.</summary>
    public static (int Frame, CameraSide Side) Identify(RgbImage img)
    {
        var c = img.IndexOf(0, img.Height / 2, img.Width / 2);
        var r = (int)MathF.Round(img.Data[c] * 255f / 10f);
        var g = img.Data[img.IndexOf(1, img.Height / 2, img.Width / 2)] * 255f;
        return (r, g < 100 ? CameraSide.Left : CameraSide.Right);
    }

    public const string Drive = "2011_09_26/2011_09_26_drive_0001_sync";

    /// <summary>KITTI raw drive with frames 0..count-1 for both cameras.</summary>
    protected void WriteKittiRaw(int count = 5, string ext = ".png")
    {
        for (var f = 0; f < count; f++)
        {
            foreach (var side in new[] { CameraSide.Left, CameraSide.Right })
            {
                var path = KittiRawDataset.ImagePath(Root, Drive, f, side, ext);
                if (ext == ".png")
                {
                    ImageFiles.WriteRgbPng(Frame(f, side), path);
                }
                else
                {
                    ImageFiles.WriteRgbJpeg(Frame(f, side), path, 100);
                }
            }
        }
    }

    public virtual void Dispose()
    {
        Directory.Delete(Root, recursive: true);
        GC.SuppressFinalize(this);
    }
}
