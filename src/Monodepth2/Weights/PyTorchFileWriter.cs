using System.Buffers.Binary;
using System.Collections;
using System.IO.Compression;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Monodepth2.Weights;

/// <summary>
/// Writes <c>torch.save</c>'s zip format: <c>&lt;name&gt;/data.pkl</c> (a pickle, protocol 2, of the value graph with each
/// tensor replaced by a persistent reference to its storage), <c>&lt;name&gt;/data/&lt;key&gt;</c> (each tensor's raw
/// little-endian bytes) and <c>&lt;name&gt;/version</c>. Entries are stored uncompressed, as PyTorch writes them:
/// TorchSharp.PyBridge's writer deflates every tensor, which made a 280 MB training checkpoint take about 12 s of CPU.
/// </summary>
/// <remarks>
/// Values: <see cref="OrderedDictionary{TKey, TValue}"/> (written as <c>collections.OrderedDict</c>, PyTorch's state-dict
/// type), other <see cref="IDictionary"/> (dict), <c>object?[]</c> (tuple), other <see cref="IList"/> (list),
/// <see cref="Tensor"/> (on the CPU, contiguous), strings, booleans, whole numbers, floating-point numbers and null.
/// </remarks>
public static class PyTorchFileWriter
{
    private const string Archive = "archive";

    /// <summary>Writes <paramref name="value"/> to <paramref name="stream"/> as a <c>torch.save</c> zip file.</summary>
    /// <exception cref="ArgumentException">A value of an unsupported type, or a tensor not on the CPU or not contiguous.</exception>
    public static void Write(Stream stream, object? value)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var pickle = new PickleEmitter(zip);
        pickle.Emit(value);
        using (var entry = zip.CreateEntry($"{Archive}/data.pkl", CompressionLevel.NoCompression).Open())
        {
            pickle.WriteTo(entry);
        }

        using (var entry = zip.CreateEntry($"{Archive}/version", CompressionLevel.NoCompression).Open())
        {
            entry.Write("3\n"u8);
        }
    }

    /// <summary>The tensor itself when it is a contiguous CPU tensor (or null), else a contiguous CPU copy added to <paramref name="copies"/>.</summary>
    internal static Tensor? OnCpu(Tensor? t, List<Tensor> copies)
    {
        if (t is null || (t.device_type == DeviceType.CPU && t.is_contiguous()))
        {
            return t;
        }

        using var scope = NewDisposeScope();
        var copy = t.detach().cpu().contiguous().MoveToOuterDisposeScope();
        copies.Add(copy);
        return copy;
    }

    /// <summary>Pickle protocol 2 opcodes for the value graph; tensor storages go straight into the archive.</summary>
    private sealed class PickleEmitter(ZipArchive zip)
    {
        private readonly MemoryStream pickle = new();
        private int storages;

        public void Emit(object? value)
        {
            pickle.Write([0x80, 2]); // PROTO 2
            Value(value);
            Op('.'); // STOP
        }

        public void WriteTo(Stream target)
        {
            pickle.Position = 0;
            pickle.CopyTo(target);
        }

        private void Value(object? value)
        {
            switch (value)
            {
                case null: Op('N'); break;
                case bool b: pickle.WriteByte(b ? (byte)0x88 : (byte)0x89); break;
                case string s: Text(s); break;
                case byte or sbyte or short or ushort or int or uint or long: Integer(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case float or double: Float(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case Tensor t: TensorValue(t); break;
                case object?[] tuple: Tuple(tuple); break;
                case OrderedDictionary<string, object?> ordered:
                    Global("collections", "OrderedDict");
                    Op(')'); // EMPTY_TUPLE
                    Op('R'); // REDUCE
                    Items(ordered.Select(p => ((object?)p.Key, p.Value)));
                    break;
                case IDictionary dict:
                    Op('}'); // EMPTY_DICT
                    Items(Entries(dict));
                    break;
                case IList list:
                    Op(']'); // EMPTY_LIST
                    if (list.Count > 0)
                    {
                        Op('(');
                        foreach (var item in list)
                        {
                            Value(item);
                        }

                        Op('e'); // APPENDS
                    }

                    break;
                default:
                    throw new ArgumentException($"Cannot write a value of type {value.GetType().Name} into a PyTorch file.", nameof(value));
            }
        }

        /// <summary>A dictionary's pairs through its <see cref="IDictionaryEnumerator"/> (generic dictionaries enumerate KeyValuePairs otherwise).</summary>
        private static IEnumerable<(object? Key, object? Value)> Entries(IDictionary dict)
        {
            var e = dict.GetEnumerator();
            while (e.MoveNext())
            {
                yield return (e.Key, e.Value);
            }
        }

        private void Items(IEnumerable<(object? Key, object? Value)> items)
        {
            var any = false;
            foreach (var (key, item) in items)
            {
                if (!any)
                {
                    Op('('); // MARK
                    any = true;
                }

                Value(key);
                Value(item);
            }

            if (any)
            {
                Op('u'); // SETITEMS
            }
        }

        private void Tuple(IReadOnlyList<object?> items)
        {
            if (items.Count == 0)
            {
                Op(')');
                return;
            }

            Op('(');
            foreach (var item in items)
            {
                Value(item);
            }

            Op('t'); // TUPLE
        }

        /// <summary>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict()), as torch.save writes it.</summary>
        private void TensorValue(Tensor t)
        {
            if (t.device_type != DeviceType.CPU || !t.is_contiguous())
            {
                throw new ArgumentException("Tensors written into a PyTorch file must be contiguous and on the CPU.", nameof(t));
            }

            var key = (storages++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            using (var entry = zip.CreateEntry($"{Archive}/data/{key}", CompressionLevel.NoCompression).Open())
            {
                entry.Write(t.bytes);
            }

            Global("torch._utils", "_rebuild_tensor_v2");
            Op('(');
            Op('(');
            Text("storage");
            Global("torch", StorageName(t.dtype));
            Text(key);
            Text("cpu");
            Integer(t.NumberOfElements);
            Op('t');
            Op('Q'); // BINPERSID
            Integer(0); // storage offset: each tensor has its own storage
            Tuple(t.shape.Select(d => (object?)d).ToArray());
            Tuple(t.stride().Select(d => (object?)d).ToArray());
            pickle.WriteByte(0x89); // requires_grad = False
            Global("collections", "OrderedDict");
            Op(')');
            Op('R');
            Op('t');
            Op('R');
        }

        private static string StorageName(ScalarType type) => type switch
        {
            ScalarType.Float32 => "FloatStorage",
            ScalarType.Float64 => "DoubleStorage",
            ScalarType.Float16 => "HalfStorage",
            ScalarType.BFloat16 => "BFloat16Storage",
            ScalarType.Int64 => "LongStorage",
            ScalarType.Int32 => "IntStorage",
            ScalarType.Int16 => "ShortStorage",
            ScalarType.Int8 => "CharStorage",
            ScalarType.Byte => "ByteStorage",
            ScalarType.Bool => "BoolStorage",
            _ => throw new ArgumentException($"Tensors of type {type} cannot be written into a PyTorch file here.", nameof(type)),
        };

        private void Op(char code) => pickle.WriteByte((byte)code);

        private void Global(string module, string name)
        {
            Op('c');
            pickle.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
        }

        private void Text(string s)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            Op('X'); // BINUNICODE: 4-byte little-endian length
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
            pickle.Write(length);
            pickle.Write(bytes);
        }

        private void Integer(long v)
        {
            Span<byte> buffer = stackalloc byte[8];
            if (v is >= 0 and <= byte.MaxValue)
            {
                Op('K'); // BININT1
                pickle.WriteByte((byte)v);
            }
            else if (v is >= 0 and <= ushort.MaxValue)
            {
                Op('M'); // BININT2
                BinaryPrimitives.WriteUInt16LittleEndian(buffer, (ushort)v);
                pickle.Write(buffer[..2]);
            }
            else if (v is >= int.MinValue and <= int.MaxValue)
            {
                Op('J'); // BININT
                BinaryPrimitives.WriteInt32LittleEndian(buffer, (int)v);
                pickle.Write(buffer[..4]);
            }
            else
            {
                pickle.WriteByte(0x8a); // LONG1: 8 bytes, little-endian two's complement
                pickle.WriteByte(8);
                BinaryPrimitives.WriteInt64LittleEndian(buffer, v);
                pickle.Write(buffer);
            }
        }

        private void Float(double v)
        {
            Op('G'); // BINFLOAT: big-endian IEEE 754 double
            Span<byte> buffer = stackalloc byte[8];
            BinaryPrimitives.WriteDoubleBigEndian(buffer, v);
            pickle.Write(buffer);
        }
    }
}
