using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monodepth2.Training;

/// <summary>Where a training run stands, saved beside each checkpoint's weights as <c>trainer_state.json</c>.</summary>
/// <param name="Epoch">Epoch to continue with (0-based).</param>
/// <param name="StepInEpoch">Batches of that epoch already done.</param>
/// <param name="Step">Optimisation steps done in total.</param>
/// <param name="Seed">Seed of the run (data order depends on it).</param>
public sealed record TrainerState(int Epoch, int StepInEpoch, long Step, int Seed)
{
    /// <summary>File name inside a checkpoint folder.</summary>
    public const string FileName = "trainer_state.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Serialises the state.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a state file; the error names the file.</summary>
    public static TrainerState Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: training state not found (is this a checkpoint folder?).", path);
        }

        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), Json)
                   ?? throw new InvalidDataException($"{path}: empty training state.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a valid training state ({ex.Message}).", ex);
        }
    }
}

/// <summary>JSON helpers for writing the options file of a run.</summary>
internal static class OptionsJson
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);
}
