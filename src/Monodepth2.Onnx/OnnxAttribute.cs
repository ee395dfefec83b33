namespace Monodepth2.Onnx;

/// <summary>An attribute of an ONNX node (only the value kinds this reader needs).</summary>
/// <param name="Name">Attribute name.</param>
/// <param name="F">Float value.</param>
/// <param name="I">Integer value.</param>
/// <param name="S">String value.</param>
/// <param name="Ints">Integer list value.</param>
/// <param name="Floats">Float list value.</param>
public sealed record OnnxAttribute(string Name, float F, long I, string S, long[] Ints, float[] Floats);
