using System.CommandLine;

namespace Monodepth2.Cli.Commands;

/// <summary>The <c>--world</c> option of <c>synth</c> and <c>demo</c>: which harder-street switches the synthetic world has.</summary>
public static class WorldOption
{
    /// <summary>Creates the option with its default.</summary>
    public static Option<string> Create(string defaultWorld) => new("--world")
    {
        Description = "Synthetic streets: easy (straight driving, textured road), hard (camera sway, varying speed with stops, "
            + "varying light, plain asphalt, moving cars) or a comma list of sway, speed, light, asphalt, cars.",
        DefaultValueFactory = _ => defaultWorld,
    };
}
