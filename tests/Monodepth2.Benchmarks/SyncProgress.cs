namespace Monodepth2.Benchmarks;

/// <summary>Reports progress on the training thread itself (<see cref="Progress{T}"/> would post it to the thread pool, late).</summary>
internal sealed class SyncProgress<T>(Action<T> action) : IProgress<T>
{
    public void Report(T value) => action(value);
}
