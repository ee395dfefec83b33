using Monodepth2.Networks;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Monodepth2.Weights;

/// <summary>Copies state-dict tensors into a module, checking keys and shapes and naming the file on any mismatch.</summary>
public static class ModuleWeights
{
    /// <summary>Keys of the reference files that have no counterpart here by design (the unused ImageNet classifier).</summary>
    public static bool IsIgnoredReferenceKey(string key) => key.StartsWith("encoder.fc.", StringComparison.Ordinal);

    /// <summary>
    /// Tensors a reference file of <paramref name="module"/> holds that the module lacks: for a <see cref="ResnetEncoder"/>,
    /// torchvision's ImageNet classifier <c>encoder.fc.weight</c> [1000, C] and <c>encoder.fc.bias</c> [1000]. The
    /// reference's evaluation scripts load <c>encoder.pth</c> and <c>pose_encoder.pth</c> with <c>strict=True</c> into
    /// a module that has the classifier, so files written here must hold it. It is never used: zeros. Empty for other
    /// modules. The caller disposes the tensors.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, Tensor>> ReferenceOnlyTensors(Module module) =>
        module is ResnetEncoder encoder
            ? [new("encoder.fc.weight", zeros(1000, encoder.NumChannels[^1])), new("encoder.fc.bias", zeros(1000))]
            : [];

    /// <summary>
    /// Loads <paramref name="source"/> into <paramref name="module"/>. Every key of the module must be present with the
    /// same shape; keys the module lacks are an error unless <see cref="IsIgnoredReferenceKey"/>. Values are copied
    /// (converted to the module's dtype and device).
    /// </summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="source">The tensors read from <paramref name="file"/>.</param>
    /// <param name="file">The file they came from, for error messages.</param>
    /// <exception cref="InvalidDataException">Keys or shapes do not match.</exception>
    public static void Load(Module module, IReadOnlyDictionary<string, Tensor> source, string file)
    {
        var target = module.state_dict();
        var missing = target.Keys.Where(k => !source.ContainsKey(k)).ToList();
        var unexpected = source.Keys.Where(k => !target.ContainsKey(k) && !IsIgnoredReferenceKey(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw new InvalidDataException(
                $"{file}: weights do not fit the {module.GetName()} network: " +
                (missing.Count > 0 ? $"{missing.Count} missing key(s) (first: {string.Join(", ", missing.Take(3))})" : "no missing keys") + "; " +
                (unexpected.Count > 0 ? $"{unexpected.Count} unexpected key(s) (first: {string.Join(", ", unexpected.Take(3))})" : "no unexpected keys") + ".");
        }

        foreach (var (key, dest) in target)
        {
            var value = source[key];
            if (!value.shape.SequenceEqual(dest.shape) && !(value.numel() == 1 && dest.numel() == 1))
            {
                throw new InvalidDataException($"{file}: {key} has shape [{string.Join(", ", value.shape)}] but the network expects [{string.Join(", ", dest.shape)}].");
            }
        }

        using var noGrad = no_grad();
        foreach (var (key, dest) in target)
        {
            // PyBridge reads 0-d tensors (num_batches_tracked) as shape [1]: reshape to the destination's shape.
            using var converted = source[key].reshape(dest.shape).to(dest.dtype, dest.device);
            dest.copy_(converted);
        }
    }
}
