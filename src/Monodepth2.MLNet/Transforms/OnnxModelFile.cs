using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace Monodepth2.MLNet.Transforms;

/// <summary>
/// The ONNX model of a fitted transform as a file that the transform owns and deletes when disposed. ML.NET's
/// <c>ApplyOnnxModel</c> from a stream also copies the bytes to a file in <c>MLContext.TempFilePath</c>, but (ML.NET 5)
/// never deletes it, even when the transformer is disposed: every fit left the whole network (tens of MB) behind.
/// Applied from a file instead, the file is ours to delete. It is written to the context's <c>TempFilePath</c> as
/// ML.NET's own would be.
/// </summary>
internal sealed class OnnxModelFile : IDisposable
{
    private OnnxModelFile(string path) => Path = path;

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Writes the model to a new file in the catalog's context's temp folder.</summary>
    public static OnnxModelFile Write(TransformsCatalog catalog, byte[] onnx)
    {
        var folder = TempFolder(CatalogEnvironment.Of(catalog));
        Directory.CreateDirectory(folder);
        var path = System.IO.Path.Combine(folder, $"monodepth2-{System.IO.Path.GetRandomFileName()}.onnx");
        File.WriteAllBytes(path, onnx);
        return new OnnxModelFile(path);
    }

    /// <summary>Deletes the file (after the ONNX Runtime session that read it has been disposed).</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Still open elsewhere (Windows): nothing more can be done here.
        }
    }

    /// <summary>
    /// <c>MLContext.TempFilePath</c>: the environment behind a catalog keeps it in a property that ML.NET does not make
    /// public on <see cref="IHostEnvironment"/>; the system's temp folder when a future version hides it.
    /// </summary>
    private static string TempFolder(IHostEnvironment env)
    {
        var property = env.GetType().GetProperty("TempFilePath", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        return property?.GetValue(env) as string is { Length: > 0 } path ? path : System.IO.Path.GetTempPath();
    }
}
