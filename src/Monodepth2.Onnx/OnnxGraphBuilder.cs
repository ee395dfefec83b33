using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Monodepth2.Onnx.Proto;
using static TorchSharp.torch;

namespace Monodepth2.Onnx;

/// <summary>One dimension of a declared graph input or output: a fixed size or a symbolic name (e.g. "batch").</summary>
internal readonly record struct OnnxDim(long Value, string? Param)
{
    public static implicit operator OnnxDim(long value) => new(value, null);

    public static OnnxDim Symbolic(string name) => new(0, name);
}

/// <summary>
/// Builds an ONNX graph with the generated protobuf classes: float initializers from TorchSharp tensors, cached scalar and
/// int64 constants, nodes with attributes, declared inputs and outputs. Every value name is unique (a hint gets a
/// numeric suffix when taken); node names are their first output's name. <see cref="Build"/> gives a model with
/// IR version <see cref="IrVersion"/>, the default-domain opset <see cref="OpsetVersion"/> and producer
/// <see cref="ProducerName"/>.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>ONNX IR version written (ONNX 1.10+, understood by every current runtime).</summary>
    public const long IrVersion = 8;

    /// <summary>Opset of the default (ai.onnx) domain the graphs are written against.</summary>
    public const long OpsetVersion = 17;

    /// <summary>Producer name written into the models.</summary>
    public const string ProducerName = "Monodepth2.MLNet";

    private readonly GraphProto graph;
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private readonly HashSet<string> initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> constants = new(StringComparer.Ordinal);
    private readonly List<StringStringEntryProto> metadata = [];

    /// <summary>Starts an empty graph.</summary>
    public OnnxGraphBuilder(string graphName) => graph = new GraphProto { Name = graphName };

    /// <summary>Returns <paramref name="hint"/>, or it with the first free numeric suffix, and reserves the name.</summary>
    public string Unique(string hint)
    {
        if (names.Add(hint))
        {
            return hint;
        }

        for (var k = 1; ; k++)
        {
            var candidate = string.Create(CultureInfo.InvariantCulture, $"{hint}_{k}");
            if (names.Add(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>
    /// Adds a float initializer with the values and shape of <paramref name="tensor"/> (any device or float type; stored as
    /// float32) under exactly <paramref name="name"/>; a second call with the same name returns the first one (shared
    /// weights).
    /// </summary>
    public string AddInitializer(string name, Tensor tensor)
    {
        if (initializers.Contains(name))
        {
            return name;
        }

        using var scope = NewDisposeScope();
        var t = tensor.detach().cpu().to(ScalarType.Float32).contiguous();
        return AddFloat(name, t.data<float>().ToArray(), t.shape);
    }

    /// <summary>Adds a float32 initializer under exactly <paramref name="name"/>.</summary>
    public string AddFloat(string name, float[] values, params long[] dims)
    {
        Reserve(name);
        return AddFloatReserved(name, values, dims);
    }

    /// <summary>A float32 scalar constant (shape []), added once per value.</summary>
    public string Scalar(float value) =>
        Constant(string.Create(CultureInfo.InvariantCulture, $"f:{BitConverter.SingleToInt32Bits(value)}"), () =>
            AddFloatReserved(Unique(string.Create(CultureInfo.InvariantCulture, $"const/{value:R}")), [value]));

    /// <summary>A 1-D float32 constant, added once per list of values.</summary>
    public string Floats(params float[] values) =>
        Constant("fs:" + string.Join(",", values.Select(v => BitConverter.SingleToInt32Bits(v).ToString(CultureInfo.InvariantCulture))), () =>
            AddFloatReserved(Unique("const/floats"), values, values.Length));

    /// <summary>A 1-D int64 constant, added once per list of values.</summary>
    public string Ints(params long[] values) =>
        Constant("i:" + string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture))), () =>
        {
            var name = Unique("const/ints");
            var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
            proto.Dims.Add(values.Length);
            proto.Int64Data.AddRange(values);
            graph.Initializer.Add(proto);
            initializers.Add(name);
            return name;
        });

    /// <summary>
    /// Adds a node with one output and returns the output's name: <paramref name="output"/> exactly (it must be free) or a
    /// unique name from <paramref name="hint"/>. An empty string in <paramref name="inputs"/> is an omitted optional input.
    /// </summary>
    public string Node(string opType, IReadOnlyList<string> inputs, string hint, string? output = null, params AttributeProto[] attributes)
    {
        string name;
        if (output is null)
        {
            name = Unique(hint);
        }
        else
        {
            Reserve(output);
            name = output;
        }

        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return name;
    }

    /// <summary>Declares a graph input of the given element type and shape.</summary>
    public string AddInput(string name, TensorProto.Types.DataType type, params OnnxDim[] shape)
    {
        Reserve(name);
        graph.Input.Add(ValueInfo(name, type, shape));
        return name;
    }

    /// <summary>Declares an existing value (a node output) as a graph output of the given element type and shape.</summary>
    public void AddOutput(string name, TensorProto.Types.DataType type, params OnnxDim[] shape)
    {
        if (!names.Contains(name))
        {
            throw new InvalidOperationException($"Graph output '{name}' is not a value of the graph.");
        }

        graph.Output.Add(ValueInfo(name, type, shape));
    }

    /// <summary>Adds a model metadata entry (<c>metadata_props</c>).</summary>
    public void AddMetadata(string key, string value) => metadata.Add(new StringStringEntryProto { Key = key, Value = value });

    /// <summary>The model: IR version 8, opset 17, producer <see cref="ProducerName"/>, this graph and the metadata.</summary>
    public ModelProto Build(string? docString = null)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString(3) ?? "",
            DocString = docString ?? "",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        model.MetadataProps.AddRange(metadata);
        return model;
    }

    /// <summary>The serialized model.</summary>
    public byte[] ToBytes(string? docString = null) => Build(docString).ToByteArray();

    /// <summary>An integer attribute.</summary>
    public static AttributeProto Attr(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    public static AttributeProto Attr(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>A string attribute.</summary>
    public static AttributeProto Attr(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>An integer-list attribute.</summary>
    public static AttributeProto Attr(string name, IEnumerable<long> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>A tensor attribute holding a 1-element float tensor (e.g. ConstantOfShape's value).</summary>
    public static AttributeProto FloatTensorAttr(string name, float value)
    {
        var t = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.Add(1);
        t.FloatData.Add(value);
        return new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = t };
    }

    private string AddFloatReserved(string name, float[] values, params long[] dims)
    {
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(dims);
        if (BitConverter.IsLittleEndian)
        {
            proto.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        else
        {
            proto.FloatData.AddRange(values);
        }

        graph.Initializer.Add(proto);
        initializers.Add(name);
        return name;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, OnnxDim[] shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var d in shape)
        {
            tensorShape.Dim.Add(d.Param is { } p ? new TensorShapeProto.Types.Dimension { DimParam = p } : new TensorShapeProto.Types.Dimension { DimValue = d.Value });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape } },
        };
    }

    private string Constant(string key, Func<string> add)
    {
        if (!constants.TryGetValue(key, out var name))
        {
            name = add();
            constants[key] = name;
        }

        return name;
    }

    private void Reserve(string name)
    {
        if (!names.Add(name))
        {
            throw new InvalidOperationException($"The ONNX value name '{name}' is already used in this graph.");
        }
    }
}
