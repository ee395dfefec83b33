using Monodepth2.Data;

namespace Monodepth2.Cli;

/// <summary>The data layouts the command line reads.</summary>
public enum DataLayout
{
    /// <summary>KITTI raw (<c>date/drive_sync/image_02/data/*.png</c>) with a split file; the synthetic world writes this.</summary>
    KittiRaw,

    /// <summary>KITTI odometry (<c>sequences/NN/image_2/*.png</c>) with a split file.</summary>
    KittiOdometry,

    /// <summary>A folder per sequence of ordered frames plus intrinsics.txt.</summary>
    Folder,
}

/// <summary>Builds a dataset from command-line arguments.</summary>
internal static class DatasetFactory
{
    /// <summary>Refuses --use-calibration where it would be ignored: only KITTI raw has calib_cam_to_cam.txt.</summary>
    public static void CheckCalibration(DataLayout layout, bool useCalibration)
    {
        if (useCalibration && layout != DataLayout.KittiRaw)
        {
            throw new ArgumentException(layout == DataLayout.Folder
                ? "--use-calibration reads KITTI raw's calib_cam_to_cam.txt; --layout Folder always takes the intrinsics from intrinsics.txt."
                : "--use-calibration reads KITTI raw's calib_cam_to_cam.txt; --layout KittiOdometry uses KITTI's fixed normalised intrinsics.");
        }
    }

    public static IMonodepthDataset Create(DataLayout layout, string root, string? split, string defaultSplitName, DatasetOptions options, bool useCalibration = false, bool loadGroundTruth = false)
    {
        CheckCalibration(layout, useCalibration);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"{root}: data folder not found.");
        }

        IReadOnlyList<SplitEntry>? entries = null;
        var splitPath = split ?? Path.Combine(root, "splits", defaultSplitName);
        if (split is not null || layout != DataLayout.Folder)
        {
            if (!File.Exists(splitPath))
            {
                throw new FileNotFoundException($"{splitPath}: split file not found (pass --split).", splitPath);
            }

            entries = SplitFile.Read(splitPath);
        }

        return layout switch
        {
            DataLayout.KittiRaw => new KittiRawDataset(root, entries!, options, useCalibration, loadGroundTruth),
            DataLayout.KittiOdometry => new KittiOdometryDataset(root, entries!, options),
            _ => new FolderVideoDataset(root, options, entries),
        };
    }
}
