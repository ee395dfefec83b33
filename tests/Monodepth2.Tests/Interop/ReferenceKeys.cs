namespace Monodepth2.Tests.Interop;

/// <summary>
/// The reference's state-dict keys and shapes of each model-folder file, from the fixture key lists (written from the
/// reference's naming, see Fixtures/make_key_lists.py). Those lists leave out the ImageNet classifier; the reference's
/// encoder files hold it (torchvision's resnet keeps <c>fc</c>), so <see cref="ForFile"/> appends it for encoders.
/// </summary>
internal static class ReferenceKeys
{
    public static IReadOnlyList<(string Key, long[] Shape)> Read(string fixture) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture))
            .Where(l => l.Length > 0)
            .Select(l => l.Split(' '))
            .Select(p => (p[0], p.Length > 1 && p[1].Length > 0 ? p[1].Split(',').Select(long.Parse).ToArray() : Array.Empty<long>()))
            .ToList();

    /// <summary>Keys and shapes, in the reference's order, of <c>name.pth</c> of a ResNet-18 model folder.</summary>
    public static IReadOnlyList<(string Key, long[] Shape)> ForFile(string name) => name switch
    {
        "encoder" => [.. Read("encoder18_keys.txt"), .. Classifier],
        "pose_encoder" => [.. Read("pose_encoder18_keys.txt"), .. Classifier],
        "depth" => Read("depth_decoder_keys.txt"),
        "pose" => Read("pose_decoder_keys.txt"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a model-folder file."),
    };

    private static IEnumerable<(string Key, long[] Shape)> Classifier =>
        [("encoder.fc.weight", [1000, 512]), ("encoder.fc.bias", [1000])];
}
