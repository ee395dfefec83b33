using Microsoft.ML;
using Microsoft.ML.Data;
using Monodepth2.Data;
using Monodepth2.Data.Synthetic;
using Monodepth2.MLNet.Transforms;
using Monodepth2.Training;

namespace Monodepth2.MLNet.Tests;

/// <summary>One row per frame, as a user's table of video frames would look.</summary>
public sealed class FrameRow
{
    public string Path { get; set; } = string.Empty;

    public string Sequence { get; set; } = string.Empty;

    public int Frame { get; set; }

    public string Side { get; set; } = "l";
}

/// <summary>
/// A tiny synthetic world (128x64 frames, three streets) and a depth model fitted on it through
/// <c>LoadImages(...).Append(EstimateDepth(...))</c> with a few training steps: shared by the ML.NET tests.
/// </summary>
public sealed class TrainedDepthModel : IDisposable
{
    public const int Width = 128;
    public const int Height = 64;
    public const int Steps = 3;

    public TrainedDepthModel()
    {
        TorchRuntime.EnsureLoaded();
        Root = Path.Combine(Path.GetTempPath(), "md2-mlnet-tests-" + Guid.NewGuid().ToString("N")[..8]);
        World = new SyntheticWorldOptions { Width = Width, Height = Height, Sequences = 3, FramesPerSequence = 6, TestSequences = 1, ValSequences = 0, Seed = 5 };
        SyntheticDatasetWriter.Write(Root, World);
        Rows = [];
        TestImages = [];
        for (var s = 0; s < World.Sequences; s++)
        {
            var folder = SyntheticDatasetWriter.DriveFolder(World, s);
            var paths = Enumerable.Range(0, World.FramesPerSequence).Select(f => KittiRawDataset.ImagePath(Root, folder, f, CameraSide.Left, ".png")).ToList();
            if (SyntheticDatasetWriter.SplitOf(World, s) == "test")
            {
                TestImages.AddRange(paths);
            }
            else
            {
                Rows.AddRange(paths.Select((p, f) => new FrameRow { Path = p, Sequence = folder, Frame = f }));
            }
        }

        Ml = new MLContext(seed: 1);
        Ml.Log += (_, e) =>
        {
            lock (Log)
            {
                Log.Add(e.Message);
            }
        };
        Frames = Ml.Data.LoadFromEnumerable(Rows);
        var options = new DepthEstimatorOptions
        {
            Training = new TrainingOptions { Height = Height, Width = Width, BatchSize = 2, MaxSteps = Steps, WeightsInit = WeightsInit.Scratch, TensorBoard = false, Workers = 1 },
            RunFolder = Path.Combine(Root, "run"),
            DisparityColumnName = "Disparity",
        };
        Pipeline = Ml.Transforms.LoadImages("Image", null, nameof(FrameRow.Path)).Append(Ml.Transforms.EstimateDepth("Depth", "Image", options));
        Model = Pipeline.Fit(Frames);
        Depth = Model.LastTransformer;
    }

    public string Root { get; }

    public SyntheticWorldOptions World { get; }

    public List<FrameRow> Rows { get; }

    public List<string> TestImages { get; }

    public MLContext Ml { get; }

    public List<string> Log { get; } = [];

    public IDataView Frames { get; }

    public EstimatorChain<DepthTransformer> Pipeline { get; }

    public TransformerChain<DepthTransformer> Model { get; }

    public DepthTransformer Depth { get; }

    /// <summary>Data of image paths (column Path) for scoring.</summary>
    public IDataView PathsView(IEnumerable<string> paths) => Ml.Data.LoadFromEnumerable(paths.Select(p => new FrameRow { Path = p }).ToList());

    public void Dispose()
    {
        Model.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
