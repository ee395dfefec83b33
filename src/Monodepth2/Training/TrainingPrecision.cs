namespace Monodepth2.Training;

/// <summary>The number type the networks compute in during training (<see cref="TrainingOptions.Precision"/>).</summary>
public enum TrainingPrecision
{
    /// <summary>float32 throughout, as the reference. The default.</summary>
    Float32,

    /// <summary>
    /// Mixed precision: convolutions and batch norms on bfloat16 activations, with float32 master weights, gradients,
    /// optimiser state, checkpoints and loss. Fast on CPUs with bfloat16 instructions (avx512_bf16, amx_bf16) and on
    /// recent GPUs; elsewhere emulated and slower than float32.
    /// </summary>
    BFloat16,

    /// <summary><see cref="BFloat16"/> on a CPU that reports bfloat16 instructions, <see cref="Float32"/> anywhere else.</summary>
    Auto,
}
