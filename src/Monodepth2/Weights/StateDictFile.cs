using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Monodepth2.Weights;

/// <summary>The content of a PyTorch state-dict file: tensors plus any non-tensor entries (e.g. <c>height</c>).</summary>
/// <param name="Tensors">Tensor entries by key, on the CPU.</param>
/// <param name="Extras">Other entries (ints, bools, strings) by key.</param>
public sealed record StateDict(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, object> Extras) : IDisposable
{
    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        foreach (var t in Tensors.Values)
        {
            t.Dispose();
        }
    }
}

/// <summary>
/// Reads and writes PyTorch zip-format state-dict files (<c>torch.save(model.state_dict(), path)</c>), including the
/// non-tensor entries Monodepth2 stores in <c>encoder.pth</c>. Writes are atomic: a temporary file in the same folder
/// is renamed over the target, so a killed process never leaves a half-written file.
/// </summary>
public static class StateDictFile
{
    /// <summary>Reads every entry of a state-dict file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable PyTorch state dict; the message names it.</exception>
    public static StateDict Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: weight file not found.", path);
        }

        Hashtable raw;
        try
        {
            using var stream = File.OpenRead(path);
            raw = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: false, skipTensorRead: false);
        }
        catch (NotImplementedException ex)
        {
            throw new InvalidDataException($"{path}: unsupported PyTorch file ({ex.Message}). Re-save it with torch.save(model.state_dict(), path) from PyTorch 1.6 or newer.", ex);
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidCastException or InvalidOperationException or IOException or
                                       ArgumentException or Razorvine.Pickle.PickleException or NullReferenceException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"{path}: not a readable PyTorch state-dict file ({ex.GetType().Name}: {ex.Message}).", ex);
        }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var extras = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in raw)
        {
            var key = entry.Key as string ?? throw new InvalidDataException($"{path}: state-dict key {entry.Key} is not a string.");
            if (entry.Value is Tensor t)
            {
                tensors[key] = t;
            }
            else if (entry.Value is not null)
            {
                extras[key] = entry.Value;
            }
        }

        return new StateDict(tensors, extras);
    }

    /// <summary>
    /// Writes tensors (and optional non-tensor entries) atomically as a PyTorch zip state dict: an OrderedDict in the
    /// given order, tensors stored uncompressed (<see cref="PyTorchFileWriter"/>).
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IEnumerable<KeyValuePair<string, object>>? extras = null)
    {
        var table = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        var copies = new List<Tensor>();
        try
        {
            foreach (var (key, value) in tensors)
            {
                table[key] = PyTorchFileWriter.OnCpu(value, copies);
            }

            foreach (var (key, value) in extras ?? [])
            {
                table[key] = value;
            }

            AtomicFile.Write(path, stream => PyTorchFileWriter.Write(stream, table));
        }
        finally
        {
            foreach (var t in copies)
            {
                t.Dispose();
            }
        }
    }
}
