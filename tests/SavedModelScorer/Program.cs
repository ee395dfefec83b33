// Scores images with a saved ML.NET model zip and writes each row's float vector to a binary file.
// Usage: SavedModelScorer <model.zip> <input column> <output column> <out.bin> <image path>...
// out.bin: int32 row count, then per row int32 length and that many float32 values.
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length < 5)
{
    Console.Error.WriteLine("usage: SavedModelScorer <model.zip> <input column> <output column> <out.bin> <image path>...");
    return 2;
}

var (zip, inputColumn, outputColumn, outFile) = (args[0], args[1], args[2], args[3]);
var ml = new MLContext();
var model = ml.Model.Load(zip, out var inputSchema);
Console.WriteLine($"loaded {zip}: input schema {string.Join(", ", inputSchema.Select(c => $"{c.Name}:{c.Type}"))}");
var assemblies = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? string.Empty).Where(n => n.Contains("Monodepth2", StringComparison.OrdinalIgnoreCase)).ToArray();
if (assemblies.Length > 0)
{
    Console.Error.WriteLine($"unexpected assemblies loaded: {string.Join(", ", assemblies)}");
    return 3;
}

var rows = args.Skip(4).Select(p => new Row { Path = p }).ToList();
var data = ml.Data.LoadFromEnumerable(rows, SchemaDefinition.Create(typeof(Row)).Also(d => d[0].ColumnName = inputColumn));
var scored = model.Transform(data);
using var stream = File.Create(outFile);
using var writer = new BinaryWriter(stream);
// ML.NET reuses the row buffer: copy each row's values before the next row is read.
var values = scored.GetColumn<VBuffer<float>>(outputColumn).Select(v => v.DenseValues().ToArray()).ToList();
writer.Write(values.Count);
foreach (var dense in values)
{
    writer.Write(dense.Length);
    foreach (var f in dense)
    {
        writer.Write(f);
    }
}

Console.WriteLine($"scored {values.Count} images; output column '{outputColumn}' of type {scored.Schema[outputColumn].Type}");
(model as IDisposable)?.Dispose();
return 0;

internal sealed class Row
{
    public string Path { get; set; } = string.Empty;
}

internal static class Extensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
