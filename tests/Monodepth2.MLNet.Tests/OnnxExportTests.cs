using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Monodepth2.Geometry;
using Monodepth2.Imaging;
using Monodepth2.Inference;
using Monodepth2.Onnx;
using Monodepth2.Networks;
using Monodepth2.Weights;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Monodepth2.MLNet.Tests;

/// <summary>
/// The ONNX exporters against the TorchSharp networks they export, run by ONNX Runtime (CPU execution provider), on
/// networks whose weights and batch-norm statistics are perturbed away from the fresh initialisation, in eval mode.
/// Parity measure: max absolute difference of the scaled disparity (range [0.01, 10]) and of the pose outputs, 1e-4.
/// </summary>
public sealed class OnnxExportTests(ITestOutputHelper output) : TorchTestBase
{
    private const double Tolerance = 1e-4;

    private static readonly string[] Photos = ["aloeL-224.jpg", "building-224.jpg", "fruits-224.jpg"];

    [Fact]
    public void DepthResNet18At640x192MatchesTorchOnRandomImagesAndPhotographs()
    {
        const int w = 640, h = 192;
        using var networks = PerturbedNetworks(18, withPose: false);
        var info = new ModelInfo { Width = w, Height = h, UseStereo = false };
        var model = DepthOnnxExporter.Export(networks, info);

        // Two random images and the three photographs resized to the model size as DepthPredictor does (Lanczos).
        var images = new List<(string Name, float[] Data)>();
        using (var scope = NewDisposeScope())
        {
            images.Add(("random 0", Values(rand(3, h, w))));
            images.Add(("random 1", Values(rand(3, h, w))));
        }

        images.AddRange(Photos.Select(p => (p, ImageFiles.Resize(ImageFiles.ReadRgb(FixturePath(p)), w, h).Data)));
        var batch = images.SelectMany(i => i.Data).ToArray();
        var (torchDisparity, torchDepth) = TorchDepth(networks, batch, images.Count, h, w);
        var onnx = Run(model, (DepthOnnxExporter.InputName, batch, [images.Count, 3, h, w]));
        var unoptimized = Run(model, GraphOptimizationLevel.ORT_DISABLE_ALL, (DepthOnnxExporter.InputName, batch, [images.Count, 3, h, w]));
        var plane = h * w;
        for (var i = 0; i < images.Count; i++)
        {
            var expected = torchDisparity.AsSpan(i * plane, plane);
            var disparity = MaxAbsDiff(onnx[DepthOnnxExporter.DisparityOutput].AsSpan(i * plane, plane), expected);
            var raw = MaxAbsDiff(unoptimized[DepthOnnxExporter.DisparityOutput].AsSpan(i * plane, plane), expected);
            var depth = MaxRelDiff(onnx[DepthOnnxExporter.DepthOutput].AsSpan(i * plane, plane), torchDepth.AsSpan(i * plane, plane));
            output.WriteLine($"{images[i].Name}: disparity {Range(expected)}; max |onnx - torch| {disparity:E2} (ORT without graph optimisations {raw:E2}); depth max relative {depth:E2}");
            Assert.True(disparity <= Tolerance, $"{images[i].Name}: {disparity}");
            Assert.True(raw <= Tolerance, $"{images[i].Name} (unoptimised): {raw}");
            Assert.True(depth <= Tolerance, $"{images[i].Name} depth: {depth}");
            AssertNonTrivial(expected, images[i].Name);
        }
    }

    [Theory]
    [InlineData(18, 192, 64)]
    [InlineData(34, 64, 64)]
    [InlineData(50, 64, 64)]
    public void DepthMatchesTorchForBasicBlocksAndBottlenecks(int layers, int w, int h)
    {
        using var networks = PerturbedNetworks(layers, withPose: false);
        var model = DepthOnnxExporter.Export(networks, new ModelInfo { Width = w, Height = h, UseStereo = false });
        using var scope = NewDisposeScope();
        var images = Values(rand(2, 3, h, w));
        var (torchDisparity, _) = TorchDepth(networks, images, 2, h, w);
        var onnx = Run(model, (DepthOnnxExporter.InputName, images, [2, 3, h, w]));
        var diff = MaxAbsDiff(onnx[DepthOnnxExporter.DisparityOutput], torchDisparity);
        output.WriteLine($"ResNet-{layers} at {w}x{h}: disparity {Range(torchDisparity)}; max |onnx - torch| {diff:E2}; model {model.Length / 1e6:F1} MB");
        Assert.True(diff <= Tolerance, $"{diff}");
        AssertNonTrivial(torchDisparity, $"ResNet-{layers}");
    }

    [Theory]
    [InlineData(null, 300, 100)]
    [InlineData(1, 300, 100)]
    [InlineData(null, 100, 40)]
    public void ResizedOutputEqualsDepthPredictor(int? batchSize, int outWidth, int outHeight)
    {
        const int w = 192, h = 64;
        using var networks = PerturbedNetworks(18, withPose: false);
        var info = new ModelInfo { Width = w, Height = h, UseStereo = false };
        var model = DepthOnnxExporter.Export(networks, info, new DepthOnnxOptions { OutputWidth = outWidth, OutputHeight = outHeight, BatchSize = batchSize });

        // An image already at the model size, so DepthPredictor does not resize the input itself.
        var image = ImageFiles.Resize(ImageFiles.ReadRgb(FixturePath(Photos[1])), w, h);
        using var predictor = new DepthPredictor(networks, info);
        var expected = predictor.Predict(image, outWidth, outHeight);
        var onnx = Run(model, (DepthOnnxExporter.InputName, image.Data, [1, 3, h, w]));
        Assert.Equal(outWidth * outHeight, onnx[DepthOnnxExporter.DisparityOutput].Length);
        var disparity = MaxAbsDiff(onnx[DepthOnnxExporter.DisparityOutput], expected.Disparity);
        var depth = MaxRelDiff(onnx[DepthOnnxExporter.DepthOutput], expected.Depth);
        output.WriteLine($"{w}x{h} -> {outWidth}x{outHeight} (batch {batchSize?.ToString() ?? "symbolic"}): max |disparity diff| {disparity:E2}, max relative depth diff {depth:E2}");
        Assert.True(disparity <= Tolerance, $"{disparity}");
        Assert.True(depth <= Tolerance, $"{depth}");
    }

    [Fact]
    public void StereoModelsGiveDepthTimes5Point4AndDepthScaleOverrides()
    {
        const int w = 128, h = 64;
        using var networks = PerturbedNetworks(18, withPose: false);
        using var scope = NewDisposeScope();
        var image = Values(rand(1, 3, h, w));
        (string, float[], int[]) input = (DepthOnnxExporter.InputName, image, [1, 3, h, w]);
        var mono = Run(DepthOnnxExporter.Export(networks, new ModelInfo { Width = w, Height = h, UseStereo = false }), input);
        var stereoModel = DepthOnnxExporter.Export(networks, new ModelInfo { Width = w, Height = h, UseStereo = true });
        var stereo = Run(stereoModel, input);
        var custom = Run(DepthOnnxExporter.Export(networks, new ModelInfo { Width = w, Height = h, UseStereo = true }, new DepthOnnxOptions { DepthScale = 2 }), input);
        var ranged = Run(DepthOnnxExporter.Export(networks, new ModelInfo { Width = w, Height = h, UseStereo = false, MinDepth = 1, MaxDepth = 50 }), input);

        Assert.Equal(mono[DepthOnnxExporter.DisparityOutput], stereo[DepthOnnxExporter.DisparityOutput]);
        var ratio = mono[DepthOnnxExporter.DepthOutput].Zip(stereo[DepthOnnxExporter.DepthOutput], (m, s) => s / (double)m).ToArray();
        output.WriteLine($"stereo / mono depth: {ratio.Min():F6} .. {ratio.Max():F6}");
        Assert.All(ratio, r => Assert.InRange(r, StereoBaseline.ScaleFactor * (1 - 1e-6), StereoBaseline.ScaleFactor * (1 + 1e-6)));
        Assert.All(custom[DepthOnnxExporter.DepthOutput].Zip(custom[DepthOnnxExporter.DisparityOutput]), p => Assert.Equal(2f / p.Second, p.First, 1e-5f));
        Assert.Equal("5.4", OnnxModel.Parse(stereoModel, "stereo").Metadata["monodepth2.depth_scale"]);

        // Another depth range: depth within [1, 50], disparity equal to the torch mapping with that range.
        var (torchDisparity, _) = TorchDepth(networks, image, 1, h, w, minDepth: 1, maxDepth: 50);
        Assert.True(MaxAbsDiff(ranged[DepthOnnxExporter.DisparityOutput], torchDisparity) <= Tolerance);
        Assert.All(ranged[DepthOnnxExporter.DepthOutput], d => Assert.InRange(d, 1f - 1e-5f, 50f + 1e-4f));
    }

    [Fact]
    public void SymbolicBatchOfThreeEqualsThreeSingleRuns()
    {
        const int w = 192, h = 64;
        using var networks = PerturbedNetworks(18, withPose: false);
        var model = DepthOnnxExporter.Export(networks, new ModelInfo { Width = w, Height = h, UseStereo = false });
        using (var session = new InferenceSession(model))
        {
            var input = session.InputMetadata[DepthOnnxExporter.InputName];
            Assert.Equal([-1, 3, h, w], input.Dimensions);
            Assert.Equal(DepthOnnxExporter.BatchDimension, input.SymbolicDimensions[0]);
            Assert.Equal([-1, 1, h, w], session.OutputMetadata[DepthOnnxExporter.DepthOutput].Dimensions);
        }

        using var scope = NewDisposeScope();
        var images = Values(rand(3, 3, h, w));
        var batched = Run(model, (DepthOnnxExporter.InputName, images, [3, 3, h, w]))[DepthOnnxExporter.DisparityOutput];
        var plane = h * w;
        for (var i = 0; i < 3; i++)
        {
            var single = Run(model, (DepthOnnxExporter.InputName, images.AsSpan(3 * plane * i, 3 * plane).ToArray(), [1, 3, h, w]))[DepthOnnxExporter.DisparityOutput];
            var diff = MaxAbsDiff(batched.AsSpan(i * plane, plane), single);
            output.WriteLine($"batch element {i} vs its own run: max |diff| {diff:E2}");
            // Not bit-identical: ONNX Runtime blocks the convolutions' GEMMs differently for a batch of 3 (seen: 3.3e-6).
            // A batch mix-up (wrong reshape or transpose) would differ by the size of the disparities themselves (~0.1).
            Assert.True(diff <= 1e-5, $"{diff}");
        }
    }

    [Fact]
    public void FixedBatchSizeOneDeclaresFixedShapesAndMetadataReadsInOnnxRuntime()
    {
        const int w = 192, h = 64;
        using var networks = PerturbedNetworks(18, withPose: false);
        var model = DepthOnnxExporter.Export(networks, new ModelInfo { Width = w, Height = h, UseStereo = false }, new DepthOnnxOptions { BatchSize = 1, OutputWidth = 96, OutputHeight = 32 });
        using var session = new InferenceSession(model);
        Assert.Equal([1, 3, h, w], session.InputMetadata[DepthOnnxExporter.InputName].Dimensions);
        Assert.Equal([1, 1, 32, 96], session.OutputMetadata[DepthOnnxExporter.DisparityOutput].Dimensions);
        Assert.Equal([1, 1, 32, 96], session.OutputMetadata[DepthOnnxExporter.DepthOutput].Dimensions);

        // ONNX Runtime reads the model-level fields too (an independent check of their field numbers).
        var metadata = session.ModelMetadata;
        Assert.Equal("Monodepth2.MLNet", metadata.ProducerName);
        Assert.Equal("monodepth2_depth", metadata.GraphName);
        Assert.StartsWith("Monodepth2 depth network (ResNet-18, 192x64, mono)", metadata.Description, StringComparison.Ordinal);
        Assert.Equal("192", metadata.CustomMetadataMap["monodepth2.width"]);
        Assert.Equal("1", metadata.CustomMetadataMap["monodepth2.depth_scale"]);
    }

    [Fact]
    public void FixedBatchModelScoresInMlNetApplyOnnxModel()
    {
        using var networks = PerturbedNetworks(18, withPose: false);
        var path = Path.Combine(Path.GetTempPath(), $"depth-{Guid.NewGuid():N}.onnx");
        try
        {
            DepthOnnxExporter.Save(path, networks, new ModelInfo { Width = MlNetImage.Width, Height = MlNetImage.Height, UseStereo = false }, new DepthOnnxOptions { BatchSize = 1 });
            float[] pixels;
            using (var scope = NewDisposeScope())
            {
                pixels = Values(rand(3, MlNetImage.Height, MlNetImage.Width));
            }

            var ml = new MLContext(seed: 1);
            var data = ml.Data.LoadFromEnumerable([new MlNetImage { Image = pixels }]);
            var pipeline = ml.Transforms.ApplyOnnxModel([DepthOnnxExporter.DisparityOutput, DepthOnnxExporter.DepthOutput], [DepthOnnxExporter.InputName], path);
            using var transformer = pipeline.Fit(data);
            var scored = ml.Data.CreateEnumerable<MlNetDepth>(transformer.Transform(data), reuseRowObject: false).Single();
            var direct = Run(File.ReadAllBytes(path), (DepthOnnxExporter.InputName, pixels, [1, 3, MlNetImage.Height, MlNetImage.Width]));
            Assert.Equal(direct[DepthOnnxExporter.DisparityOutput], scored.Disparity);
            Assert.Equal(direct[DepthOnnxExporter.DepthOutput], scored.Depth);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(PoseNetworkKind.SeparateResnet)]
    [InlineData(PoseNetworkKind.PoseCnn)]
    [InlineData(PoseNetworkKind.Shared)]
    public void PoseMatchesPredictPairAndTransformationFromParameters(PoseNetworkKind kind)
    {
        const int w = 192, h = 64, batch = 3;
        using var networks = PerturbedNetworks(18, withPose: true, kind);

        // Scale the last pose convolution up so rotations reach tenths of a radian to radians, not the 0.01-scaled
        // near-identity of a fresh network: the Rodrigues part is then tested away from R = I.
        using (var noGrad = no_grad())
        {
            var last = kind == PoseNetworkKind.PoseCnn ? "pose_conv" : "net.3";
            var poseModule = networks.NamedModules.Last(m => m.Name == "pose").Module;
            foreach (var (_, p) in poseModule.named_parameters().Where(p => p.name.StartsWith(last + ".", StringComparison.Ordinal)))
            {
                p.mul_(kind == PoseNetworkKind.PoseCnn ? 3000 : 300);
            }
        }

        var info = new ModelInfo { Width = w, Height = h, UseStereo = false };
        var model = PoseOnnxExporter.Export(networks, info);
        using var scope = NewDisposeScope();
        using var noGrad2 = no_grad();
        var frame0 = rand(batch, 3, h, w);
        var frame1 = (frame0 * 0.7 + rand(batch, 3, h, w) * 0.3).contiguous();
        var pose = networks.Pose!;
        var (axisAngle, translation) = kind == PoseNetworkKind.Shared
            ? pose.PredictPair(frame0, frame1, networks.Encoder.call(frame0), networks.Encoder.call(frame1))
            : pose.PredictPair(frame0, frame1);
        var transform = PoseMath.TransformationFromParameters(axisAngle, translation, invert: false);

        var onnx = Run(model, (PoseOnnxExporter.FirstInput, Values(frame0), [batch, 3, h, w]), (PoseOnnxExporter.SecondInput, Values(frame1), [batch, 3, h, w]));
        var expectedAxisAngle = Values(axisAngle);
        var angles = Enumerable.Range(0, batch).Select(b => Math.Sqrt(expectedAxisAngle.Skip(3 * b).Take(3).Sum(v => (double)v * v))).ToArray();
        var diffs = new[]
        {
            (PoseOnnxExporter.AxisAngleOutput, MaxAbsDiff(onnx[PoseOnnxExporter.AxisAngleOutput], expectedAxisAngle)),
            (PoseOnnxExporter.TranslationOutput, MaxAbsDiff(onnx[PoseOnnxExporter.TranslationOutput], Values(translation))),
            (PoseOnnxExporter.TransformOutput, MaxAbsDiff(onnx[PoseOnnxExporter.TransformOutput], Values(transform))),
        };
        output.WriteLine($"{kind}: angles {string.Join(", ", angles.Select(a => a.ToString("F3")))} rad, translation {Range(Values(translation))}; " +
            string.Join(", ", diffs.Select(d => $"{d.Item1} max |diff| {d.Item2:E2}")));
        Assert.Equal(batch * 3, onnx[PoseOnnxExporter.AxisAngleOutput].Length);
        Assert.Equal(batch * 16, onnx[PoseOnnxExporter.TransformOutput].Length);
        Assert.All(diffs, d => Assert.True(d.Item2 <= Tolerance, $"{d.Item1}: {d.Item2}"));
        Assert.True(angles.Max() > 0.1, "rotations too small to test the Rodrigues part");
    }

    [Fact]
    public void FixedBatchPoseGraphDeclaresFixedShapes()
    {
        using var networks = PerturbedNetworks(18, withPose: true);
        var model = PoseOnnxExporter.Export(networks, new ModelInfo { Width = 128, Height = 64, UseStereo = false }, batchSize: 1);
        using var session = new InferenceSession(model);
        Assert.Equal([1, 3, 64, 128], session.InputMetadata[PoseOnnxExporter.FirstInput].Dimensions);
        Assert.Equal([1, 3, 64, 128], session.InputMetadata[PoseOnnxExporter.SecondInput].Dimensions);
        Assert.Equal([1, 3], session.OutputMetadata[PoseOnnxExporter.AxisAngleOutput].Dimensions);
        Assert.Equal([1, 4, 4], session.OutputMetadata[PoseOnnxExporter.TransformOutput].Dimensions);
    }

    [Fact]
    public void ReaderReadsBackSavedModels()
    {
        const int w = 128, h = 64;
        using var networks = PerturbedNetworks(18, withPose: true);
        var info = new ModelInfo { Width = w, Height = h, UseStereo = false };
        var folder = Path.Combine(Path.GetTempPath(), $"onnx-export-{Guid.NewGuid():N}");
        try
        {
            var depthPath = Path.Combine(folder, "depth.onnx");
            var posePath = Path.Combine(folder, "pose.onnx");
            DepthOnnxExporter.Save(depthPath, networks, info);
            PoseOnnxExporter.Save(posePath, networks, info);
            Assert.Equal(["depth.onnx", "pose.onnx"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());

            var depth = OnnxModel.Load(depthPath);
            Assert.Equal("Monodepth2.MLNet", depth.ProducerName);
            Assert.Equal(8, depth.IrVersion);
            Assert.Equal(17, depth.OpsetVersion);
            Assert.Equal([DepthOnnxExporter.InputName], depth.Inputs);
            Assert.Equal([DepthOnnxExporter.DisparityOutput, DepthOnnxExporter.DepthOutput], depth.Outputs);
            Assert.Equal("depth", depth.Metadata["monodepth2.network"]);

            // Every encoder weight and statistic (not num_batches_tracked), the ten decoder blocks and the scale-0 head.
            var encoderKeys = networks.Encoder.state_dict().Keys.Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Select(k => "encoder/" + k);
            var decoderKeys = networks.Decoder.state_dict().Keys.Where(k => !k.StartsWith("decoder.11.", StringComparison.Ordinal) && !k.StartsWith("decoder.12.", StringComparison.Ordinal) && !k.StartsWith("decoder.13.", StringComparison.Ordinal)).Select(k => "depth/" + k);
            var weights = depth.Initializers.Keys.Where(k => !k.StartsWith("const/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(encoderKeys.Concat(decoderKeys).Order(StringComparer.Ordinal), weights);
            output.WriteLine($"depth.onnx: {depth.Nodes.Count} nodes, {weights.Length} weight initializers + {depth.Initializers.Count - weights.Length} constants, {new FileInfo(depthPath).Length / 1e6:F1} MB; ops {string.Join(", ", depth.Nodes.GroupBy(n => n.OpType).Select(g => $"{g.Key} {g.Count()}"))}");

            // The values are the module's: conv1's weight and a running variance.
            var state = networks.Encoder.state_dict();
            Assert.Equal(Values(state["encoder.conv1.weight"]), depth.Initializers["encoder/encoder.conv1.weight"].Data);
            Assert.Equal([64L, 3, 7, 7], depth.Initializers["encoder/encoder.conv1.weight"].Dims);
            Assert.Equal(Values(state["encoder.layer2.0.downsample.1.running_var"]), depth.Initializers["encoder/encoder.layer2.0.downsample.1.running_var"].Data);

            var pose = OnnxModel.Load(posePath);
            Assert.Equal([PoseOnnxExporter.FirstInput, PoseOnnxExporter.SecondInput], pose.Inputs);
            Assert.Equal([PoseOnnxExporter.AxisAngleOutput, PoseOnnxExporter.TranslationOutput, PoseOnnxExporter.TransformOutput], pose.Outputs);
            var poseKeys = networks.Pose!.Encoder!.state_dict().Keys.Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Select(k => "pose_encoder/" + k)
                .Concat(networks.Pose.Decoder!.state_dict().Keys.Select(k => "pose/" + k));
            Assert.Equal(poseKeys.Order(StringComparer.Ordinal), pose.Initializers.Keys.Where(k => !k.StartsWith("const/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            Assert.Equal([64L, 6, 7, 7], pose.Initializers["pose_encoder/encoder.conv1.weight"].Dims);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void BadBytesAndMissingFilesAreErrorsNamingThePath()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "model.onnx");
        var e1 = Assert.Throws<FileNotFoundException>(() => OnnxModel.Load(missing));
        Assert.Contains(missing, e1.Message, StringComparison.Ordinal);

        var corrupt = Path.Combine(Path.GetTempPath(), $"corrupt-{Guid.NewGuid():N}.onnx");
        var noGraph = Path.Combine(Path.GetTempPath(), $"nograph-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllBytes(corrupt, [0x0A, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x02]);
            var e2 = Assert.Throws<InvalidDataException>(() => OnnxModel.Load(corrupt));
            Assert.Contains(corrupt, e2.Message, StringComparison.Ordinal);

            File.WriteAllBytes(noGraph, [0x08, 0x08]); // ir_version 8 and nothing else
            var e3 = Assert.Throws<InvalidDataException>(() => OnnxModel.Load(noGraph));
            Assert.Contains(noGraph, e3.Message, StringComparison.Ordinal);
            Assert.Contains("no graph", e3.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(corrupt);
            File.Delete(noGraph);
        }

        // A truncated export: a clear error from the reader, and ONNX Runtime refuses it too.
        using var networks = PerturbedNetworks(18, withPose: false);
        var model = DepthOnnxExporter.Export(networks, new ModelInfo { Width = 64, Height = 64, UseStereo = false });
        var truncated = model.AsSpan(0, model.Length / 2).ToArray();
        Assert.Contains("truncated.onnx", Assert.Throws<InvalidDataException>(() => OnnxModel.Parse(truncated, "truncated.onnx")).Message, StringComparison.Ordinal);
        Assert.ThrowsAny<OnnxRuntimeException>(() => new InferenceSession(truncated).Dispose());
    }

    [Fact]
    public void UnexportableInputsAreRejectedWithReasons()
    {
        using var networks = new MonodepthNetworks(new NetworkOptions(18), withPose: false);
        var ok = new ModelInfo { Width = 128, Height = 64, UseStereo = false };
        Assert.Contains("multiples of 32", Assert.Throws<ArgumentException>(() => DepthOnnxExporter.Export(networks, new ModelInfo { Width = 128, Height = 100, UseStereo = false })).Message, StringComparison.Ordinal);
        Assert.Contains("output size", Assert.Throws<ArgumentException>(() => DepthOnnxExporter.Export(networks, ok, new DepthOnnxOptions { OutputWidth = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("depth range", Assert.Throws<ArgumentException>(() => DepthOnnxExporter.Export(networks, ok with { MinDepth = 10, MaxDepth = 1 })).Message, StringComparison.Ordinal);
        Assert.Contains("DepthScale", Assert.Throws<ArgumentException>(() => DepthOnnxExporter.Export(networks, ok, new DepthOnnxOptions { DepthScale = -1 })).Message, StringComparison.Ordinal);
        Assert.Contains("BatchSize", Assert.Throws<ArgumentException>(() => DepthOnnxExporter.Export(networks, ok, new DepthOnnxOptions { BatchSize = 0 })).Message, StringComparison.Ordinal);

        using var coarse = new DepthDecoder(networks.Encoder.NumChannels, scales: [1, 2]);
        Assert.Contains("scale 0", Assert.Throws<ArgumentException>(() => DepthOnnxExporter.Export(networks.Encoder, coarse, ok)).Message, StringComparison.Ordinal);
        using var resnet50 = new ResnetEncoder(50);
        using var resnet50Decoder = new DepthDecoder(resnet50.NumChannels);
        Assert.Contains("does not fit", Assert.Throws<ArgumentException>(() => DepthOnnxExporter.Export(networks.Encoder, resnet50Decoder, ok)).Message, StringComparison.Ordinal);
        using var poseEncoder = new ResnetEncoder(18, inputImages: 2);
        Assert.Contains("one RGB image", Assert.Throws<ArgumentException>(() => DepthOnnxExporter.Export(poseEncoder, networks.Decoder, ok)).Message, StringComparison.Ordinal);
        Assert.Contains("no pose network", Assert.Throws<ArgumentException>(() => PoseOnnxExporter.Export(networks, ok)).Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Networks in eval mode with every convolution weight scaled by (1 + 0.2 n) and biased by noise, and every batch
    /// norm given a scale in [0.6, 1.4], a bias, a running mean and a running variance in [0.5, 2] (a fresh batch norm
    /// has 1, 0, 0, 1, which would leave BatchNormalization's statistics untested), and the disparity heads scaled up.
    /// </summary>
    private static MonodepthNetworks PerturbedNetworks(int layers, bool withPose, PoseNetworkKind kind = PoseNetworkKind.SeparateResnet)
    {
        var networks = new MonodepthNetworks(new NetworkOptions(layers, PoseKind: kind), withPose);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (_, root) in networks.NamedModules)
        {
            foreach (var (_, module) in root.named_modules())
            {
                switch (module)
                {
                    case NormBase bn:
                        bn.weight.copy_(rand_like(bn.weight) * 0.8 + 0.6);
                        bn.bias!.copy_(randn_like(bn.bias!) * 0.1);
                        bn.running_mean!.copy_(randn_like(bn.running_mean!) * 0.2);
                        bn.running_var!.copy_(rand_like(bn.running_var!) * 1.5 + 0.5);
                        break;
                    case Convolution conv:
                        conv.weight.mul_(randn_like(conv.weight) * 0.2 + 1).add_(randn_like(conv.weight) * 0.2 * conv.weight.std());
                        conv.bias?.add_(randn_like(conv.bias) * 0.05);
                        break;
                }
            }
        }

        // The disparity heads' convolutions x10: logits of a few units instead of tenths, so the sigmoid spreads the
        // disparity over most of [0.01, 10] and differences in the features are amplified, not squashed.
        foreach (var (name, p) in networks.Decoder.named_parameters())
        {
            if (int.Parse(name.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture) >= 10)
            {
                p.mul_(10);
            }
        }

        networks.Train(false);
        return networks;
    }

    private static (float[] Disparity, float[] Depth) TorchDepth(MonodepthNetworks networks, float[] images, int batch, int h, int w, double minDepth = 0.1, double maxDepth = 100)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sigmoid = networks.PredictDisparity(tensor(images, [batch, 3, h, w]))[networks.Decoder.Scales.ToList().IndexOf(0)];
        var (scaled, depth) = DepthConversion.DispToDepth(sigmoid, minDepth, maxDepth);
        return (Values(scaled), Values(depth));
    }

    private static Dictionary<string, float[]> Run(byte[] model, params (string Name, float[] Data, int[] Dims)[] inputs) =>
        Run(model, GraphOptimizationLevel.ORT_ENABLE_ALL, inputs);

    private static Dictionary<string, float[]> Run(byte[] model, GraphOptimizationLevel level, params (string Name, float[] Data, int[] Dims)[] inputs)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 2, GraphOptimizationLevel = level };
        using var session = new InferenceSession(model, options);
        var values = inputs.Select(i => NamedOnnxValue.CreateFromTensor(i.Name, new DenseTensor<float>(i.Data, i.Dims))).ToList();
        using var results = session.Run(values);
        return results.ToDictionary(r => r.Name, r => r.AsTensor<float>().ToArray());
    }

    private static double MaxAbsDiff(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)actual[i] - expected[i]));
        }

        return max;
    }

    private static double MaxRelDiff(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)actual[i] - expected[i]) / Math.Abs((double)expected[i]));
        }

        return max;
    }

    private static string Range(ReadOnlySpan<float> values)
    {
        var (min, max, sum) = (float.MaxValue, float.MinValue, 0.0);
        foreach (var v in values)
        {
            (min, max, sum) = (Math.Min(min, v), Math.Max(max, v), sum + v);
        }

        return $"[{min:G4}, {max:G4}] mean {sum / values.Length:G4}";
    }

    /// <summary>The disparity must vary over the image and stay away from the sigmoid's saturated ends, or parity says little.</summary>
    private static void AssertNonTrivial(ReadOnlySpan<float> disparity, string what)
    {
        var (min, max) = (float.MaxValue, float.MinValue);
        foreach (var v in disparity)
        {
            (min, max) = (Math.Min(min, v), Math.Max(max, v));
        }

        Assert.True(max - min > 1, $"{what}: disparity nearly constant ({min} .. {max})");
        Assert.True(min > 0.0101 && max < 9.99, $"{what}: disparity saturated ({min} .. {max})");
    }

    public sealed class MlNetImage
    {
        public const int Width = 128, Height = 64;

        [ColumnName(DepthOnnxExporter.InputName)]
        [VectorType(3 * Height * Width)]
        public float[] Image { get; set; } = [];
    }

    public sealed class MlNetDepth
    {
        [ColumnName(DepthOnnxExporter.DisparityOutput)]
        public float[] Disparity { get; set; } = [];

        [ColumnName(DepthOnnxExporter.DepthOutput)]
        public float[] Depth { get; set; } = [];
    }
}
