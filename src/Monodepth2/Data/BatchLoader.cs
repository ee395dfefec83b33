using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace Monodepth2.Data;

/// <summary>
/// Iterates a dataset in batches, like PyTorch's <c>DataLoader</c>: shuffles per epoch from a seed, loads the samples
/// of a batch in parallel (at most <c>maxParallelism</c> at once) while the previous batch is being used, and collates
/// them on the caller's thread. Every sample's augmentation comes from its own <see cref="Random"/> seeded by
/// (seed, epoch, index), so an epoch is reproducible whatever the thread timing.
/// With <see cref="DatasetOptions.SkipBadSamples"/>, bad samples are left out and the batch is refilled with the next
/// samples of the epoch's order; <see cref="IMonodepthDataset.Skipped"/> lists them.
/// </summary>
public sealed class BatchLoader
{
    private readonly IMonodepthDataset dataset;
    private readonly Device? device;

    /// <summary>Creates the loader.</summary>
    /// <param name="dataset">The samples.</param>
    /// <param name="batchSize">Samples per batch (reference: 12).</param>
    /// <param name="shuffle">Shuffle each epoch (training) or keep the dataset order.</param>
    /// <param name="dropLast">Drop the last incomplete batch (training).</param>
    /// <param name="seed">Seed for order and augmentation; default <see cref="DatasetOptions.Seed"/>.</param>
    /// <param name="maxParallelism">Samples loaded at once; default the processor count.</param>
    /// <param name="device">Where the batch tensors go; default CPU.</param>
    /// <param name="prefetch">
    /// Load the next batch on worker threads while the caller uses the current one. Faster, but those threads then
    /// allocate (and trigger collections) while TorchSharp runs native code, which exposes TorchSharp's finalizer-freed
    /// temporary scalars to a use-after-free (see <see cref="TorchRuntime.QuiesceFinalizers"/>). Off by default: batches
    /// are then loaded (in parallel) when asked for, and finalizers are drained before each batch is handed out.
    /// </param>
    public BatchLoader(IMonodepthDataset dataset, int batchSize, bool shuffle = true, bool dropLast = true, int? seed = null, int? maxParallelism = null, Device? device = null, bool prefetch = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        this.dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        Seed = seed ?? dataset.Options.Seed;
        MaxParallelism = Math.Max(1, maxParallelism ?? Environment.ProcessorCount);
        this.device = device;
        Prefetch = prefetch;
    }

    /// <summary>Whether the next batch loads while the current one is in use.</summary>
    public bool Prefetch { get; }

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch is shuffled.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether the last incomplete batch is dropped.</summary>
    public bool DropLast { get; }

    /// <summary>Seed for order and augmentation.</summary>
    public int Seed { get; }

    /// <summary>Samples loaded at once.</summary>
    public int MaxParallelism { get; }

    /// <summary>Batches in an epoch when no sample is skipped.</summary>
    public int BatchesPerEpoch => DropLast ? dataset.Count / BatchSize : (dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>The sample order of <paramref name="epoch"/>.</summary>
    public IReadOnlyList<int> Order(int epoch)
    {
        var order = Enumerable.Range(0, dataset.Count).ToArray();
        if (Shuffle)
        {
            var rng = new Random(Mix(Seed, epoch, -1));
            for (var i = order.Length - 1; i > 0; i--)
            {
                var j = rng.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }

        return order;
    }

    /// <summary>The random source of sample <paramref name="index"/> in <paramref name="epoch"/>.</summary>
    public Random SampleRandom(int epoch, int index) => new(Mix(Seed, epoch, index));

    /// <summary>The batches of <paramref name="epoch"/>; dispose each one when done with it.</summary>
    /// <exception cref="BadSampleException">A sample cannot be loaded and skipping is off.</exception>
    public IEnumerable<Batch> Epoch(int epoch)
    {
        var order = Order(epoch);
        var cursor = 0;
        if (!Prefetch)
        {
            while (cursor < order.Count)
            {
                var samples = LoadBatch(order, epoch, ref cursor);
                if (samples.Count == 0 || (DropLast && samples.Count < BatchSize))
                {
                    yield break;
                }

                var batch = BatchCollator.Collate(samples, device);
                TorchRuntime.QuiesceFinalizers();
                yield return batch;
            }

            yield break;
        }

        Task<List<MonodepthSample>>? pending = Task.Run(() => LoadBatch(order, epoch, ref cursor));
        try
        {
            while (pending is not null)
            {
                var samples = pending.GetAwaiter().GetResult();
                pending = null;
                if (samples.Count == 0 || (DropLast && samples.Count < BatchSize))
                {
                    yield break;
                }

                if (cursor < order.Count)
                {
                    pending = Task.Run(() => LoadBatch(order, epoch, ref cursor));
                }

                yield return BatchCollator.Collate(samples, device);
            }
        }
        finally
        {
            // An abandoned enumeration still waits for the prefetch, so no loading outlives it.
            if (pending is not null)
            {
                try
                {
                    pending.Wait();
                }
                catch (AggregateException)
                {
                    // Nobody will see this batch.
                }
            }
        }
    }

    private List<MonodepthSample> LoadBatch(IReadOnlyList<int> order, int epoch, ref int cursor)
    {
        var result = new List<MonodepthSample>(BatchSize);
        while (result.Count < BatchSize && cursor < order.Count)
        {
            var take = Math.Min(BatchSize - result.Count, order.Count - cursor);
            var indices = new int[take];
            for (var i = 0; i < take; i++)
            {
                indices[i] = order[cursor + i];
            }

            cursor += take;
            var loaded = new MonodepthSample?[take];
            var errors = new Exception?[take];
            Parallel.For(0, take, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelism }, i =>
            {
                try
                {
                    loaded[i] = dataset.TryGetSample(indices[i], SampleRandom(epoch, indices[i]));
                }
                catch (Exception ex)
                {
                    errors[i] = ex;
                }
            });

            if (errors.FirstOrDefault(e => e is not null) is { } error)
            {
                ExceptionDispatchInfo.Capture(error).Throw();
            }

            result.AddRange(loaded.OfType<MonodepthSample>());
        }

        return result;
    }

    internal static int Mix(int seed, int epoch, int index)
    {
        // SplitMix64 over the three values: stable across processes (unlike HashCode).
        var x = ((ulong)(uint)seed << 32) ^ ((ulong)(uint)epoch * 0x9E3779B97F4A7C15UL) ^ (ulong)(uint)index;
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (int)(x & 0x7FFFFFFF);
    }
}
