namespace Monodepth2.Onnx;

/// <summary>A tensor stored in an ONNX graph (initializer or attribute value).</summary>
/// <param name="Name">Initializer name.</param>
/// <param name="Dims">Shape.</param>
/// <param name="DataType">ONNX element type (1 = float).</param>
/// <param name="Data">Values, for float tensors; empty otherwise.</param>
public sealed record OnnxTensor(string Name, long[] Dims, int DataType, float[] Data);
