using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using Monodepth2.MLNet.Data;
using Monodepth2.Onnx;
using Monodepth2.Training;
using Monodepth2.Weights;

namespace Monodepth2.MLNet.Transforms;

/// <summary>
/// The <c>EstimateDepth</c> estimator. Created with training options, <see cref="Fit"/> trains the depth and pose
/// networks on the frames of the data (self-supervised, no depth labels) with the project's trainer; created from a
/// model folder, it only prepares scoring. Either way the result is a <see cref="DepthTransformer"/>.
/// </summary>
public sealed class DepthEstimator : IEstimator<DepthTransformer>
{
    private readonly TransformsCatalog ml;
    private readonly string output;
    private readonly string input;
    private readonly string? modelFolder;
    private readonly DepthScoringOptions scoring;
    private readonly DepthEstimatorOptions? training;

    private DepthEstimator(TransformsCatalog ml, string output, string input, string? modelFolder, DepthScoringOptions scoring, DepthEstimatorOptions? training)
    {
        ArgumentNullException.ThrowIfNull(ml);
        DepthTransformer.CheckNames(output, input, scoring.DisparityColumnName);
        if (scoring.OutputWidth is <= 0 || scoring.OutputHeight is <= 0 || (scoring.OutputWidth is null) != (scoring.OutputHeight is null))
        {
            throw new ArgumentException("OutputWidth and OutputHeight must be set together and be positive.", nameof(scoring));
        }

        this.ml = ml;
        this.output = output;
        this.input = input;
        this.modelFolder = modelFolder;
        this.scoring = scoring;
        this.training = training;
    }

    /// <summary>An estimator that trains on the data given to <see cref="Fit"/>.</summary>
    internal static DepthEstimator ForTraining(TransformsCatalog ml, string output, string input, DepthEstimatorOptions? options)
    {
        options ??= new DepthEstimatorOptions();
        options.Training.Validate();
        return new DepthEstimator(ml, output, input, null, options, options);
    }

    /// <summary>An estimator that scores with a trained model folder (no training).</summary>
    internal static DepthEstimator ForModel(TransformsCatalog ml, string output, string input, string modelFolder, DepthScoringOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelFolder);
        if (!Directory.Exists(modelFolder))
        {
            throw new DirectoryNotFoundException($"{modelFolder}: model folder not found.");
        }

        return new DepthEstimator(ml, output, input, Path.GetFullPath(modelFolder), options ?? new DepthScoringOptions(), null);
    }

    /// <summary>Trains (or loads) the networks and returns the fitted transform.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type.</exception>
    public DepthTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        FrameColumns.RequireImage(input.Schema, this.input);
        TorchRuntime.EnsureLoaded();
        var host = CatalogEnvironment.Of(ml).Register("EstimateDepth");
        string folder;
        TrainingResult? result = null;
        if (training is null)
        {
            folder = modelFolder!;
        }
        else
        {
            using var ch = host.Start("Training");
            (folder, result) = Train(input, training, ch);
        }

        using var model = ModelFolder.Load(folder, withPose: false);
        var info = model.Info;
        var outW = scoring.OutputWidth ?? info.Width;
        var outH = scoring.OutputHeight ?? info.Height;
        var onnx = DepthOnnxExporter.Export(model.Networks, info, new DepthOnnxOptions { OutputWidth = outW, OutputHeight = outH, BatchSize = 1 });
        var transformer = DepthPipeline.FitOwning(ml, onnx,
            file => DepthPipeline.Create(ml, output, this.input, scoring.DisparityColumnName, info.Width, info.Height, file, scoring), input,
            (chain, file) => new DepthTransformer(chain, output, this.input, scoring.DisparityColumnName, info, outW, outH, onnx, file, folder, result));
        using (var ch = host.Start("Scoring"))
        {
            ch.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture,
                $"Depth model {folder}: input {info.Width}x{info.Height}, ResNet-{info.Networks.Layers}, depth range {info.MinDepth}..{info.MaxDepth}, output {outW}x{outH}, " +
                $"{(info.UseStereo ? $"stereo (metric, x{info.DepthScale})" : info.Metric ? "monocular, velocity-supervised (metric)" : "monocular (relative scale)")}."));
        }

        return transformer;
    }

    /// <summary>The output schema: the input's columns plus the depth (and disparity) float vectors.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The image column is missing or is not an image.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (!inputSchema.Any(c => c.Name == input))
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The input image column '{input}' is not in the data.");
        }

        return DepthPipeline.OutputShape(ml, inputSchema, input, output, scoring.DisparityColumnName);
    }

    private (string ModelFolder, TrainingResult Result) Train(IDataView data, DepthEstimatorOptions options, IChannel ch)
    {
        var t = options.Training;
        var run = options.RunFolder ?? Path.Combine(Path.GetTempPath(), "monodepth2-mlnet",
            string.Create(CultureInfo.InvariantCulture, $"run-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}"));
        var columns = new FrameColumnNames
        {
            Image = input, Sequence = options.SequenceColumnName, FrameIndex = options.FrameIndexColumnName,
            Side = options.SideColumnName, Intrinsics = options.IntrinsicsColumnName, Travel = options.TravelColumnName,
        };
        var init = t.NeedsImageNet ? new ImageNetResNet18Initializer() : null;
        using var trainer = new Trainer(t, d => new DataViewDataset(data, columns, d, options.Intrinsics), run, init, options.ResumeFrom);
        var dataset = (DataViewDataset)trainer.Dataset;
        ch.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture,
            $"Training {t.Modality} on {dataset.Count} samples from {dataset.FrameCount} frames at {t.Width}x{t.Height}, batch {t.BatchSize}, into {run}."));
        var progress = new LogProgress(ch, options.Progress);
        var result = trainer.Train(progress, options.Cancellation);
        ch.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture,
            $"Training stopped ({result.StopReason}) after {result.Steps} steps in {result.Elapsed.TotalMinutes:F1} min; last checkpoint {result.LastCheckpoint ?? "none"}."));
        var folder = Path.Combine(run, "model");
        ModelFolder.Save(folder, trainer.Networks, t.Model);
        return (folder, result);
    }

    /// <summary>Forwards progress to the user's handler and to MLContext.Log.</summary>
    private sealed class LogProgress(IChannel channel, IProgress<TrainingProgress>? user) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture,
                $"step {value.Step}{(value.TotalSteps is { } n ? $"/{n}" : string.Empty)} epoch {value.Epoch} loss {value.Loss:F4} {value.ImagesPerSecond:F1} img/s lr {value.LearningRate:G3}"));
            user?.Report(value);
        }
    }
}
