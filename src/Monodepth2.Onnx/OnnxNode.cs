namespace Monodepth2.Onnx;

/// <summary>A node of an ONNX graph.</summary>
/// <param name="Name">Node name.</param>
/// <param name="OpType">Operator (Conv, BatchNormalization, ...).</param>
/// <param name="Inputs">Input value names.</param>
/// <param name="Outputs">Output value names.</param>
/// <param name="Attributes">Attributes by name.</param>
public sealed record OnnxNode(string Name, string OpType, string[] Inputs, string[] Outputs, IReadOnlyDictionary<string, OnnxAttribute> Attributes);
