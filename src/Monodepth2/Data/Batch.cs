using static TorchSharp.torch;

namespace Monodepth2.Data;

/// <summary>
/// A collated batch of <see cref="MonodepthSample"/>s as float32 tensors on one device. Disposing it disposes every
/// tensor it holds.
/// </summary>
public sealed class Batch : IDisposable
{
    private bool disposed;

    internal Batch(
        IReadOnlyList<int> indices,
        IReadOnlyList<FrameId> frameIds,
        IReadOnlyDictionary<FrameId, Tensor> augmented,
        IReadOnlyDictionary<FrameId, IReadOnlyList<Tensor>> pyramids,
        IReadOnlyList<Tensor> k,
        IReadOnlyList<Tensor> inverseK,
        Tensor? stereoTransform,
        Tensor? groundTruth,
        IReadOnlyList<bool> flipped,
        IReadOnlyDictionary<FrameId, Tensor>? travel = null)
    {
        Indices = indices;
        FrameIds = frameIds;
        Augmented = augmented;
        Pyramids = pyramids;
        K = k;
        InverseK = inverseK;
        StereoTransform = stereoTransform;
        GroundTruth = groundTruth;
        Flipped = flipped;
        Travel = travel ?? new Dictionary<FrameId, Tensor>();
    }

    /// <summary>Number of samples B.</summary>
    public int Size => Indices.Count;

    /// <summary>Dataset indices of the samples, in batch order.</summary>
    public IReadOnlyList<int> Indices { get; }

    /// <summary>The frame ids, as in the dataset options.</summary>
    public IReadOnlyList<FrameId> FrameIds { get; }

    /// <summary>Per frame id: colour-jittered full-resolution images [B, 3, H, W], what the networks see.</summary>
    public IReadOnlyDictionary<FrameId, Tensor> Augmented { get; }

    /// <summary>Per frame id: un-jittered images [B, 3, H / 2^s, W / 2^s] for s = 0..S-1, what the losses use.</summary>
    public IReadOnlyDictionary<FrameId, IReadOnlyList<Tensor>> Pyramids { get; }

    /// <summary>Pixel intrinsics [B, 4, 4] per scale s.</summary>
    public IReadOnlyList<Tensor> K { get; }

    /// <summary>Pseudo-inverses of <see cref="K"/>, [B, 4, 4] per scale.</summary>
    public IReadOnlyList<Tensor> InverseK { get; }

    /// <summary>
    /// When "s" is a frame id: the target-to-stereo-partner transform [B, 4, 4], identity with
    /// T[0, 3] = <see cref="MonodepthSample.StereoSign"/> x 0.1; else null.
    /// </summary>
    public Tensor? StereoTransform { get; }

    /// <summary>Ground-truth depth [B, 1, h, w] when every sample has one of the same size; else null.</summary>
    public Tensor? GroundTruth { get; }

    /// <summary>Whether each sample was flipped.</summary>
    public IReadOnlyList<bool> Flipped { get; }

    /// <summary>
    /// Per temporal source: metres the camera moved from the target, [B] float32 on the batch's device, NaN where unknown
    /// (<see cref="MonodepthSample.Travel"/>); empty when no sample of the batch knows any.
    /// </summary>
    public IReadOnlyDictionary<FrameId, Tensor> Travel { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var t in Augmented.Values)
        {
            t.Dispose();
        }

        foreach (var t in Pyramids.Values.SelectMany(p => p))
        {
            t.Dispose();
        }

        foreach (var t in K.Concat(InverseK))
        {
            t.Dispose();
        }

        foreach (var t in Travel.Values)
        {
            t.Dispose();
        }

        StereoTransform?.Dispose();
        GroundTruth?.Dispose();
    }
}
