using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Monodepth2.Networks;

/// <summary>
/// Monodepth2's depth decoder. For i = 4..0: <c>upconv(i,0)</c>, nearest x2 upsampling, optional skip concatenation
/// with encoder map i-1, <c>upconv(i,1)</c>; for each output scale s a <c>dispconv(s)</c> (Conv3x3 to one channel) and
/// a sigmoid. Modules are held in the list <c>decoder</c> in the reference's insertion order, so the state-dict keys are
/// <c>decoder.{k}.conv.conv.*</c> (blocks) and <c>decoder.{k}.conv.*</c> (disparity heads).
/// </summary>
public sealed class DepthDecoder : Module<Tensor[], Tensor[]>
{
    /// <summary>Decoder channels per level, finest first.</summary>
    public static readonly IReadOnlyList<long> DecoderChannels = [16, 32, 64, 128, 256];

    private readonly ModuleList<Module<Tensor, Tensor>> decoder;
    private readonly Module<Tensor, Tensor>[,] upconvs = new Module<Tensor, Tensor>[5, 2];
    private readonly Dictionary<int, Module<Tensor, Tensor>> dispconvs = [];

    /// <summary>Creates a decoder for an encoder with the given channel counts.</summary>
    /// <param name="encoderChannels">Channels of the five encoder maps.</param>
    /// <param name="scales">Output scales (0 = input size, s = 1/2^s), each in 0..3. Default 0, 1, 2, 3.</param>
    /// <param name="outputChannels">Channels of each disparity output (1 for depth).</param>
    /// <param name="useSkips">Concatenate encoder maps into the decoder (the reference default).</param>
    public DepthDecoder(IReadOnlyList<long> encoderChannels, IReadOnlyList<int>? scales = null, int outputChannels = 1, bool useSkips = true)
        : base(nameof(DepthDecoder))
    {
        if (encoderChannels.Count != 5)
        {
            throw new ArgumentException("Exactly five encoder channel counts are needed.", nameof(encoderChannels));
        }

        Scales = scales?.ToArray() ?? [0, 1, 2, 3];
        if (Scales.Count == 0 || Scales.Any(s => s is < 0 or > 3) || Scales.Distinct().Count() != Scales.Count)
        {
            throw new ArgumentException("Scales must be distinct values in 0..3.", nameof(scales));
        }

        UseSkips = useSkips;
        var ordered = new List<Module<Tensor, Tensor>>();
        for (var i = 4; i >= 0; i--)
        {
            var inCh = i == 4 ? encoderChannels[4] : DecoderChannels[i + 1];
            upconvs[i, 0] = new ConvBlock(inCh, DecoderChannels[i]);
            ordered.Add(upconvs[i, 0]);

            inCh = DecoderChannels[i] + (useSkips && i > 0 ? encoderChannels[i - 1] : 0);
            upconvs[i, 1] = new ConvBlock(inCh, DecoderChannels[i]);
            ordered.Add(upconvs[i, 1]);
        }

        foreach (var s in Scales)
        {
            dispconvs[s] = new Conv3x3(DecoderChannels[s], outputChannels);
            ordered.Add(dispconvs[s]);
        }

        decoder = ModuleList(ordered.ToArray());
        RegisterComponents();
    }

    /// <summary>Output scales, in the order of <see cref="forward"/>'s result.</summary>
    public IReadOnlyList<int> Scales { get; }

    /// <summary>Whether encoder maps are concatenated into the decoder.</summary>
    public bool UseSkips { get; }

    /// <summary>
    /// Decodes the five encoder maps into sigmoid disparities, one per entry of <see cref="Scales"/> (same order),
    /// each [B, 1, H / 2^s, W / 2^s] in (0, 1).
    /// </summary>
    public override Tensor[] forward(Tensor[] inputFeatures)
    {
        if (inputFeatures.Length != 5)
        {
            throw new ArgumentException("The depth decoder needs the five encoder feature maps.", nameof(inputFeatures));
        }

        using var scope = NewDisposeScope();
        var outputs = new Tensor[Scales.Count];
        var x = inputFeatures[4];
        for (var i = 4; i >= 0; i--)
        {
            x = upconvs[i, 0].call(x);
            x = functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
            if (UseSkips && i > 0)
            {
                x = cat([x, inputFeatures[i - 1]], dim: 1);
            }

            x = upconvs[i, 1].call(x);
            var index = IndexOfScale(i);
            if (index >= 0)
            {
                outputs[index] = sigmoid(dispconvs[i].call(x).AsFloat32()).MoveToOuterDisposeScope();
            }
        }

        return outputs;
    }

    private int IndexOfScale(int scale)
    {
        for (var k = 0; k < Scales.Count; k++)
        {
            if (Scales[k] == scale)
            {
                return k;
            }
        }

        return -1;
    }
}
