using Monodepth2.Networks;

namespace Monodepth2.Weights;

/// <summary>A model folder loaded into memory: its description and its networks (owned: disposed with this).</summary>
public sealed class MonodepthModel : IDisposable
{
    internal MonodepthModel(string folder, ModelInfo info, MonodepthNetworks networks)
    {
        Folder = folder;
        Info = info;
        Networks = networks;
    }

    /// <summary>The folder it was loaded from.</summary>
    public string Folder { get; }

    /// <summary>What the folder says about the model.</summary>
    public ModelInfo Info { get; }

    /// <summary>The networks with the folder's weights.</summary>
    public MonodepthNetworks Networks { get; }

    /// <summary>Disposes the networks.</summary>
    public void Dispose() => Networks.Dispose();
}
