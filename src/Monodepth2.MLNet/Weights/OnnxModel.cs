using System.Buffers.Binary;
using System.Text;

namespace Monodepth2.MLNet.Weights;

/// <summary>A tensor stored in an ONNX graph (initializer or attribute value).</summary>
/// <param name="Name">Initializer name.</param>
/// <param name="Dims">Shape.</param>
/// <param name="DataType">ONNX element type (1 = float).</param>
/// <param name="Data">Values, for float tensors; empty otherwise.</param>
public sealed record OnnxTensor(string Name, long[] Dims, int DataType, float[] Data);

/// <summary>An attribute of an ONNX node (only the value kinds this reader needs).</summary>
/// <param name="Name">Attribute name.</param>
/// <param name="F">Float value.</param>
/// <param name="I">Integer value.</param>
/// <param name="S">String value.</param>
/// <param name="Ints">Integer list value.</param>
/// <param name="Floats">Float list value.</param>
public sealed record OnnxAttribute(string Name, float F, long I, string S, long[] Ints, float[] Floats);

/// <summary>A node of an ONNX graph.</summary>
/// <param name="Name">Node name.</param>
/// <param name="OpType">Operator (Conv, BatchNormalization, ...).</param>
/// <param name="Inputs">Input value names.</param>
/// <param name="Outputs">Output value names.</param>
/// <param name="Attributes">Attributes by name.</param>
public sealed record OnnxNode(string Name, string OpType, string[] Inputs, string[] Outputs, IReadOnlyDictionary<string, OnnxAttribute> Attributes);

/// <summary>
/// The parts of an ONNX model that weight import needs: producer, opset, graph inputs/outputs, nodes and float
/// initializers. ML.NET's generated ONNX protobuf classes (<c>OnnxCSharpToProtoWrapper</c>) are internal to
/// Microsoft.ML.OnnxTransformer, so this is a small hand-written reader of the protobuf wire format for the
/// ModelProto / GraphProto / NodeProto / AttributeProto / TensorProto fields used here (onnx.proto field numbers).
/// </summary>
public sealed class OnnxModel
{
    private OnnxModel()
    {
    }

    /// <summary>Producer name (e.g. CNTK).</summary>
    public string ProducerName { get; private set; } = "";

    /// <summary>Opset version of the default domain.</summary>
    public long OpsetVersion { get; private set; }

    /// <summary>Graph input names (including initializers listed as inputs, as older exporters do).</summary>
    public List<string> Inputs { get; } = [];

    /// <summary>Graph output names.</summary>
    public List<string> Outputs { get; } = [];

    /// <summary>Nodes in graph order.</summary>
    public List<OnnxNode> Nodes { get; } = [];

    /// <summary>Initializers by name.</summary>
    public Dictionary<string, OnnxTensor> Initializers { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads an ONNX model file.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed ONNX protobuf.</exception>
    public static OnnxModel Load(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Parses ONNX model bytes; <paramref name="source"/> names them in error messages.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed ONNX protobuf.</exception>
    public static OnnxModel Parse(byte[] bytes, string source)
    {
        var model = new OnnxModel();
        try
        {
            var r = new Reader(bytes, 0, bytes.Length);
            var sawGraph = false;
            while (r.More)
            {
                var (field, wire) = r.Tag();
                switch (field)
                {
                    case 2 when wire == 2: model.ProducerName = r.String(); break;
                    case 7 when wire == 2: model.ReadGraph(r.Sub()); sawGraph = true; break;
                    case 8 when wire == 2:
                        {
                            var o = r.Sub();
                            string domain = "";
                            long version = 0;
                            while (o.More)
                            {
                                var (f, w) = o.Tag();
                                if (f == 1 && w == 2) { domain = o.String(); }
                                else if (f == 2 && w == 0) { version = (long)o.Varint(); }
                                else { o.Skip(w); }
                            }

                            if (domain.Length == 0) { model.OpsetVersion = version; }
                            break;
                        }

                    default: r.Skip(wire); break;
                }
            }

            if (!sawGraph)
            {
                throw new InvalidDataException("no graph");
            }
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException($"{source}: not a readable ONNX model ({e.Message}).", e);
        }

        return model;
    }

    /// <summary>
    /// Returns a copy of ONNX model bytes with <paramref name="valueName"/> added as an extra float graph output. This
    /// uses protobuf's merge rule: a second occurrence of the embedded <c>graph</c> field is merged into the first, so
    /// its <c>output</c> entry is appended to the graph's outputs without re-encoding the model.
    /// </summary>
    public static byte[] WithExtraOutput(byte[] modelBytes, string valueName)
    {
        // ValueInfoProto { name (1), type (2): TypeProto { tensor_type (1): { elem_type (1) = FLOAT } } }
        var typeProto = Message(1, [0x08, 0x01]);
        var valueInfo = Message(1, Encoding.UTF8.GetBytes(valueName)).Concat(Message(2, typeProto)).ToArray();
        var graph = Message(12, valueInfo);
        return [.. modelBytes, .. Message(7, graph)];
    }

    private static byte[] Message(int field, byte[] payload)
    {
        var bytes = new List<byte>();
        WriteVarint(bytes, ((ulong)field << 3) | 2);
        WriteVarint(bytes, (ulong)payload.Length);
        bytes.AddRange(payload);
        return [.. bytes];
    }

    private static void WriteVarint(List<byte> bytes, ulong value)
    {
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
    }

    private void ReadGraph(Reader r)
    {
        while (r.More)
        {
            var (field, wire) = r.Tag();
            switch (field)
            {
                case 1 when wire == 2: Nodes.Add(ReadNode(r.Sub())); break;
                case 5 when wire == 2:
                    {
                        var t = ReadTensor(r.Sub());
                        Initializers[t.Name] = t;
                        break;
                    }

                case 11 when wire == 2: Inputs.Add(ReadValueInfoName(r.Sub())); break;
                case 12 when wire == 2: Outputs.Add(ReadValueInfoName(r.Sub())); break;
                default: r.Skip(wire); break;
            }
        }
    }

    private static string ReadValueInfoName(Reader r)
    {
        var name = "";
        while (r.More)
        {
            var (f, w) = r.Tag();
            if (f == 1 && w == 2) { name = r.String(); }
            else { r.Skip(w); }
        }

        return name;
    }

    private static OnnxNode ReadNode(Reader r)
    {
        List<string> inputs = [], outputs = [];
        string name = "", op = "";
        var attributes = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        while (r.More)
        {
            var (f, w) = r.Tag();
            switch (f)
            {
                case 1 when w == 2: inputs.Add(r.String()); break;
                case 2 when w == 2: outputs.Add(r.String()); break;
                case 3 when w == 2: name = r.String(); break;
                case 4 when w == 2: op = r.String(); break;
                case 5 when w == 2:
                    {
                        var a = ReadAttribute(r.Sub());
                        attributes[a.Name] = a;
                        break;
                    }

                default: r.Skip(w); break;
            }
        }

        return new OnnxNode(name, op, [.. inputs], [.. outputs], attributes);
    }

    private static OnnxAttribute ReadAttribute(Reader r)
    {
        string name = "", s = "";
        float f32 = 0;
        long i = 0;
        List<long> ints = [];
        List<float> floats = [];
        while (r.More)
        {
            var (f, w) = r.Tag();
            switch (f)
            {
                case 1 when w == 2: name = r.String(); break;
                case 2 when w == 5: f32 = r.Fixed32Float(); break;
                case 3 when w == 0: i = (long)r.Varint(); break;
                case 4 when w == 2: s = r.String(); break;
                case 7: ReadFloats(r, w, floats); break;
                case 8: ReadInts(r, w, ints); break;
                default: r.Skip(w); break;
            }
        }

        return new OnnxAttribute(name, f32, i, s, [.. ints], [.. floats]);
    }

    private static OnnxTensor ReadTensor(Reader r)
    {
        List<long> dims = [];
        List<float> floats = [];
        var name = "";
        var type = 0;
        float[]? raw = null;
        while (r.More)
        {
            var (f, w) = r.Tag();
            switch (f)
            {
                case 1: ReadInts(r, w, dims); break;
                case 2 when w == 0: type = (int)r.Varint(); break;
                case 4: ReadFloats(r, w, floats); break;
                case 8 when w == 2: name = r.String(); break;
                case 9 when w == 2:
                    {
                        var bytes = r.Bytes();
                        raw = new float[bytes.Length / 4];
                        for (var k = 0; k < raw.Length; k++)
                        {
                            raw[k] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(4 * k, 4));
                        }

                        break;
                    }

                default: r.Skip(w); break;
            }
        }

        var data = type == 1 ? raw ?? [.. floats] : [];
        return new OnnxTensor(name, [.. dims], type, data);
    }

    private static void ReadInts(Reader r, int wire, List<long> into)
    {
        if (wire == 2)
        {
            var p = r.Sub();
            while (p.More) { into.Add((long)p.Varint()); }
        }
        else
        {
            into.Add((long)r.Varint());
        }
    }

    private static void ReadFloats(Reader r, int wire, List<float> into)
    {
        if (wire == 2)
        {
            var p = r.Sub();
            while (p.More) { into.Add(p.Fixed32Float()); }
        }
        else
        {
            into.Add(r.Fixed32Float());
        }
    }

    /// <summary>Protobuf wire-format cursor over a slice of a byte array.</summary>
    private sealed class Reader(byte[] buffer, int start, int end)
    {
        private int pos = start;

        public bool More => pos < end;

        public (int Field, int Wire) Tag()
        {
            var tag = Varint();
            return ((int)(tag >> 3), (int)(tag & 7));
        }

        public ulong Varint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Next();
                result |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return result;
                }
            }

            throw new InvalidDataException("malformed varint");
        }

        public float Fixed32Float()
        {
            Need(4);
            var v = BinaryPrimitives.ReadSingleLittleEndian(buffer.AsSpan(pos, 4));
            pos += 4;
            return v;
        }

        public ReadOnlySpan<byte> Bytes()
        {
            var n = Length();
            var span = buffer.AsSpan(pos, n);
            pos += n;
            return span;
        }

        public string String() => Encoding.UTF8.GetString(Bytes());

        public Reader Sub()
        {
            var n = Length();
            var sub = new Reader(buffer, pos, pos + n);
            pos += n;
            return sub;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: Need(8); pos += 8; break;
                case 2:
                    {
                        var n = Length(); // read the length before updating pos
                        pos += n;
                        break;
                    }

                case 5: Need(4); pos += 4; break;
                default: throw new InvalidDataException($"unsupported wire type {wire}");
            }
        }

        private int Length()
        {
            var n = Varint();
            if (n > (ulong)(end - pos))
            {
                throw new InvalidDataException("length past the end of the message");
            }

            return (int)n;
        }

        private void Need(int n)
        {
            if (end - pos < n)
            {
                throw new InvalidDataException("truncated message");
            }
        }

        private byte Next()
        {
            Need(1);
            return buffer[pos++];
        }
    }
}
