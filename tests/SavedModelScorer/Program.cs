// Scores images with a saved ML.NET model zip and writes each row's float vector to a binary file.
// Usage: SavedModelScorer <model.zip> <input column> <output column> <out.bin> <image path>...
// Two input columns ("First,Second", for an ego-motion model): the image paths are taken in pairs, one row per pair.
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
// Disposing the loaded model deletes the copy of its ONNX network that ML.NET wrote to the temp folder.
using var ownModel = (IDisposable)model;
Console.WriteLine($"loaded {zip}: input schema {string.Join(", ", inputSchema.Select(c => $"{c.Name}:{c.Type}"))}");
var assemblies = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? string.Empty).Where(n => n.Contains("Monodepth2", StringComparison.OrdinalIgnoreCase)).ToArray();
if (assemblies.Length > 0)
{
    Console.Error.WriteLine($"unexpected assemblies loaded: {string.Join(", ", assemblies)}");
    return 3;
}

var columns = inputColumn.Split(',');
var paths = args.Skip(4).ToArray();
IDataView data;
if (columns.Length == 2)
{
    var pairs = paths.Chunk(2).Select(p => new PairRow { First = p[0], Second = p[^1] }).ToList();
    data = ml.Data.LoadFromEnumerable(pairs, SchemaDefinition.Create(typeof(PairRow)).Also(d => (d[0].ColumnName, d[1].ColumnName) = (columns[0], columns[1])));
}
else
{
    data = ml.Data.LoadFromEnumerable(paths.Select(p => new Row { Path = p }).ToList(), SchemaDefinition.Create(typeof(Row)).Also(d => d[0].ColumnName = inputColumn));
}

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

Console.WriteLine($"scored {values.Count} rows; output column '{outputColumn}' of type {scored.Schema[outputColumn].Type}");
(model as IDisposable)?.Dispose();
return 0;

internal sealed class Row
{
    public string Path { get; set; } = string.Empty;
}

internal sealed class PairRow
{
    public string First { get; set; } = string.Empty;

    public string Second { get; set; } = string.Empty;
}

internal static class Extensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
