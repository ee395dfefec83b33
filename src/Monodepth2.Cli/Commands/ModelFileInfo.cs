using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

namespace Monodepth2.Cli.Commands;

/// <summary>What <c>monodepth2 info</c> prints for an ML.NET model zip or an ONNX file.</summary>
internal static class ModelFileInfo
{
    /// <summary>Inputs, outputs and opset of an ONNX file.</summary>
    public static int Onnx(string path)
    {
        SessionOptions? options = null;
        InferenceSession session;
        try
        {
            options = new SessionOptions();
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidDataException($"{path}: not a loadable ONNX model ({ex.Message}).", ex);
        }
        finally
        {
            options?.Dispose();
        }

        using (session)
        {
            var meta = session.ModelMetadata;
            Console.WriteLine($"ONNX model     {path} ({new FileInfo(path).Length / 1048576.0:F1} MB)");
            Console.WriteLine($"producer       {meta.ProducerName}, graph {meta.GraphName}, version {meta.Version}");
            foreach (var (name, m) in session.InputMetadata)
            {
                Console.WriteLine($"input          {name} {m.ElementType.Name} [{Dims(m)}]");
            }

            foreach (var (name, m) in session.OutputMetadata)
            {
                Console.WriteLine($"output         {name} {m.ElementType.Name} [{Dims(m)}]");
            }
        }

        return 0;
    }

    /// <summary>Input columns, added columns and transforms of an ML.NET model zip.</summary>
    public static int MLNetZip(string path)
    {
        try
        {
            using var archive = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{path}: not an ML.NET model zip, an ONNX file or a model folder ({ex.Message}).", ex);
        }

        var ml = new MLContext();
        ITransformer model;
        DataViewSchema input;
        try
        {
            model = ml.Model.Load(path, out input);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: not a loadable ML.NET model ({ex.Message}).", ex);
        }

        using var disposable = model as IDisposable;
        Console.WriteLine($"ML.NET model   {path} ({new FileInfo(path).Length / 1048576.0:F1} MB)");
        foreach (var c in input)
        {
            Console.WriteLine($"input column   {c.Name}: {c.Type}");
        }

        var output = model.GetOutputSchema(input);
        foreach (var c in output.Where(c => !c.IsHidden && input.GetColumnOrNull(c.Name) is null))
        {
            var shape = c.Type is VectorDataViewType v && v.Dimensions.Length > 0 ? $" [{string.Join(", ", v.Dimensions)}]" : string.Empty;
            Console.WriteLine($"output column  {c.Name}: {c.Type}{shape}");
        }

        Console.WriteLine($"transforms     {string.Join(" -> ", Flatten(model).Select(t => t.GetType().Name))}");
        return 0;
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer model) =>
        model is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [model];

    private static string Dims(NodeMetadata m) =>
        string.Join(", ", m.Dimensions.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : m.SymbolicDimensions[i] is { Length: > 0 } s ? s : "?"));
}
