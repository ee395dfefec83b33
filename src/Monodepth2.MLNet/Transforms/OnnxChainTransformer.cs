using Microsoft.ML;
using Microsoft.ML.Data;
using Monodepth2.Weights;

namespace Monodepth2.MLNet.Transforms;

/// <summary>
/// A fitted transform made of stock ML.NET transforms with a network inside as ONNX (<c>ApplyOnnxModel</c>):
/// <c>mlContext.Model.Save</c> writes the stock chain, and <c>mlContext.Model.Load</c> reads it back in a program that
/// references only ML.NET and an ONNX Runtime package. Derived transforms check their input columns.
/// </summary>
public abstract class OnnxChainTransformer : ITransformer, ICanSaveModel, IDisposable
{
    private readonly TransformerChain<ITransformer> chain;
    private readonly byte[] onnx;
    private readonly OnnxModelFile file;

    private protected OnnxChainTransformer(TransformerChain<ITransformer> chain, byte[] onnx, OnnxModelFile file)
    {
        this.chain = chain;
        this.onnx = onnx;
        this.file = file;
    }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <summary>The network as a stand-alone ONNX model.</summary>
    public byte[] GetOnnxModel() => (byte[])onnx.Clone();

    /// <summary>Writes <see cref="GetOnnxModel"/> to a file (atomically).</summary>
    public void SaveOnnx(string path) => AtomicFile.Write(path, s => s.Write(onnx));

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return chain.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return ((ITransformer)chain).GetRowToRowMapper(inputSchema);
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.Schema);
        return chain.Transform(input);
    }

    /// <summary>Saves the stock transforms this transform is made of.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)chain).Save(ctx);

    /// <summary>Releases the ONNX Runtime sessions and deletes the model file they were read from.</summary>
    public void Dispose()
    {
        chain.Dispose();
        file.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Throws, naming the column, when an input column is missing or of the wrong type.</summary>
    private protected abstract void CheckInput(DataViewSchema schema);
}
