using System.Buffers.Binary;
using Google.Protobuf;
using Monodepth2.Onnx.Proto;

namespace Monodepth2.Onnx;

/// <summary>
/// A read view of an ONNX model: producer, opset, metadata, graph inputs/outputs, nodes and float initializers. It is
/// read with the project's ONNX protobuf classes (generated from <c>onnx.proto</c>, the same classes the
/// exporters write with; ML.NET's own are internal to Microsoft.ML.OnnxTransformer).
/// </summary>
public sealed class OnnxModel
{
    private OnnxModel()
    {
    }

    /// <summary>Producer name (e.g. CNTK).</summary>
    public string ProducerName { get; private set; } = "";

    /// <summary>ONNX IR version of the file.</summary>
    public long IrVersion { get; private set; }

    /// <summary>Opset version of the default domain.</summary>
    public long OpsetVersion { get; private set; }

    /// <summary>The model's metadata (<c>metadata_props</c>) by key.</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Graph input names (including initializers listed as inputs, as older exporters do).</summary>
    public List<string> Inputs { get; } = [];

    /// <summary>Graph output names.</summary>
    public List<string> Outputs { get; } = [];

    /// <summary>Nodes in graph order.</summary>
    public List<OnnxNode> Nodes { get; } = [];

    /// <summary>Initializers by name.</summary>
    public Dictionary<string, OnnxTensor> Initializers { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads an ONNX model file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist (the message names it).</exception>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed ONNX model (the message names the file).</exception>
    public static OnnxModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: ONNX model file not found.", path);
        }

        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses ONNX model bytes; <paramref name="source"/> names them in error messages.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed ONNX model.</exception>
    public static OnnxModel Parse(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var proto = ParseProto(bytes, source);
        try
        {
            return FromProto(proto);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{source}: not a readable ONNX model ({e.Message}).", e);
        }
    }

    /// <summary>
    /// Returns a copy of ONNX model bytes with <paramref name="valueName"/> added as an extra float graph output. This
    /// uses protobuf's merge rule: a second occurrence of the embedded <c>graph</c> field is merged into the first, so
    /// its <c>output</c> entry is appended to the graph's outputs without re-encoding the (possibly large) model.
    /// </summary>
    public static byte[] WithExtraOutput(byte[] modelBytes, string valueName)
    {
        ArgumentNullException.ThrowIfNull(modelBytes);
        var extra = new ModelProto
        {
            Graph = new GraphProto
            {
                Output =
                {
                    new ValueInfoProto
                    {
                        Name = valueName,
                        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
                    },
                },
            },
        };
        return [.. modelBytes, .. extra.ToByteArray()];
    }

    /// <summary>Parses ONNX bytes into the generated message, turning protobuf errors into one naming <paramref name="source"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed ONNX protobuf or hold no graph.</exception>
    internal static ModelProto ParseProto(byte[] bytes, string source)
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{source}: not a readable ONNX model ({e.Message}).", e);
        }

        if (proto.Graph is null)
        {
            throw new InvalidDataException($"{source}: not a readable ONNX model (no graph).");
        }

        return proto;
    }

    private static OnnxModel FromProto(ModelProto proto)
    {
        var model = new OnnxModel
        {
            ProducerName = proto.ProducerName,
            IrVersion = proto.IrVersion,
            OpsetVersion = proto.OpsetImport.LastOrDefault(o => o.Domain.Length == 0 || o.Domain == "ai.onnx")?.Version ?? 0,
        };
        foreach (var entry in proto.MetadataProps)
        {
            model.Metadata[entry.Key] = entry.Value;
        }

        var graph = proto.Graph;
        model.Inputs.AddRange(graph.Input.Select(i => i.Name));
        model.Outputs.AddRange(graph.Output.Select(o => o.Name));
        foreach (var node in graph.Node)
        {
            var attributes = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
            foreach (var a in node.Attribute)
            {
                attributes[a.Name] = new OnnxAttribute(a.Name, a.F, a.I, a.S.ToStringUtf8(), [.. a.Ints], [.. a.Floats]);
            }

            model.Nodes.Add(new OnnxNode(node.Name, node.OpType, [.. node.Input], [.. node.Output], attributes));
        }

        foreach (var t in graph.Initializer)
        {
            model.Initializers[t.Name] = ToTensor(t);
        }

        return model;
    }

    private static OnnxTensor ToTensor(TensorProto t)
    {
        var dims = t.Dims.ToArray();
        if (t.DataType != (int)TensorProto.Types.DataType.Float)
        {
            return new OnnxTensor(t.Name, dims, t.DataType, []);
        }

        if (t.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new InvalidDataException($"initializer '{t.Name}' keeps its data in an external file, which this reader does not follow");
        }

        float[] data;
        if (!t.RawData.IsEmpty)
        {
            var raw = t.RawData.Span;
            if (raw.Length % 4 != 0)
            {
                throw new InvalidDataException($"initializer '{t.Name}' has {raw.Length} raw bytes, not a whole number of floats");
            }

            data = new float[raw.Length / 4];
            for (var k = 0; k < data.Length; k++)
            {
                data[k] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(4 * k, 4));
            }
        }
        else
        {
            data = [.. t.FloatData];
        }

        var expected = dims.Aggregate(1L, (a, d) => a * d);
        if (data.LongLength != expected)
        {
            throw new InvalidDataException($"initializer '{t.Name}' holds {data.LongLength} values for shape [{string.Join(", ", dims)}]");
        }

        return new OnnxTensor(t.Name, dims, t.DataType, data);
    }
}
