using Monodepth2.Geometry;
using Monodepth2.Imaging;
using static TorchSharp.torch;

namespace Monodepth2.Data;

/// <summary>Stacks <see cref="MonodepthSample"/>s into a <see cref="Batch"/> of float32 tensors on a device.</summary>
public static class BatchCollator
{
    /// <summary>Collates <paramref name="samples"/> (same frame ids, sizes and scales) onto <paramref name="device"/> (default CPU).</summary>
    /// <exception cref="ArgumentException">The samples are empty or do not match.</exception>
    public static Batch Collate(IReadOnlyList<MonodepthSample> samples, Device? device = null)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("Cannot collate an empty batch.", nameof(samples));
        }

        var first = samples[0];
        var ids = first.FrameIds.ToList();
        var scales = first.Pyramids[FrameId.Target].Count;
        var (w, h) = (first.Width, first.Height);
        foreach (var s in samples)
        {
            if (!s.FrameIds.SequenceEqual(ids) || s.Width != w || s.Height != h || s.Pyramids.Values.Any(p => p.Count != scales))
            {
                throw new ArgumentException($"Sample {s.Index} ({s.Description}) does not match sample {first.Index}: frames, size or scales differ.", nameof(samples));
            }
        }

        TorchRuntime.EnsureLoaded();
        var b = samples.Count;
        var augmented = new Dictionary<FrameId, Tensor>();
        var pyramids = new Dictionary<FrameId, IReadOnlyList<Tensor>>();
        foreach (var id in ids)
        {
            augmented[id] = Stack(samples.Select(s => s.Augmented[id]).ToList(), device);
            pyramids[id] = Enumerable.Range(0, scales).Select(sc => Stack(samples.Select(s => s.Pyramids[id][sc]).ToList(), device)).ToList();
        }

        var intrinsics = samples.Select(s => s.Intrinsics).ToArray();
        var k = new List<Tensor>();
        var inv = new List<Tensor>();
        for (var sc = 0; sc < scales; sc++)
        {
            k.Add(Intrinsics.BatchTensor(intrinsics, w, h, sc, inverse: false, device));
            inv.Add(Intrinsics.BatchTensor(intrinsics, w, h, sc, inverse: true, device));
        }

        var stereo = ids.Any(f => f.IsStereo) ? PoseMath.StereoTransform(samples.Select(s => s.StereoSign).ToArray(), StereoBaseline.Training, device) : null;

        Tensor? gt = null;
        if (samples.All(s => s.GroundTruth is { } g && g.Width == first.GroundTruth!.Width && g.Height == first.GroundTruth.Height))
        {
            var g0 = first.GroundTruth!;
            var flat = new float[b * g0.Depth.Length];
            for (var i = 0; i < b; i++)
            {
                samples[i].GroundTruth!.Depth.CopyTo(flat, i * g0.Depth.Length);
            }

            gt = tensor(flat, [b, 1, g0.Height, g0.Width], device: device);
        }

        var travel = new Dictionary<FrameId, Tensor>();
        foreach (var id in ids.Where(f => !f.IsTarget && !f.IsStereo && samples.Any(s => s.Travel.ContainsKey(f))))
        {
            travel[id] = tensor(samples.Select(s => s.Travel.TryGetValue(id, out var d) ? (float)d : float.NaN).ToArray(), [b], device: device);
        }

        return new Batch(samples.Select(s => s.Index).ToList(), ids, augmented, pyramids, k, inv, stereo, gt, samples.Select(s => s.Flipped).ToList(), travel);
    }

    private static Tensor Stack(IReadOnlyList<RgbImage> images, Device? device)
    {
        var n = images[0].Data.Length;
        var flat = new float[images.Count * n];
        for (var i = 0; i < images.Count; i++)
        {
            images[i].Data.CopyTo(flat, i * n);
        }

        return tensor(flat, [images.Count, 3, images[0].Height, images[0].Width], device: device);
    }
}
