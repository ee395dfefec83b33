using System.Xml.Linq;

namespace Monodepth2.Notebooks.Tests;

/// <summary>Paths of the repository these tests were built from.</summary>
public static class Repository
{
    /// <summary>The repository root: the nearest folder above the test assembly that holds the solution file.</summary>
    public static string Root { get; } = FindRoot();

    public static string Notebooks => Path.Combine(Root, "notebooks");

    /// <summary>What the notebooks #r, relative to <see cref="Notebooks"/>; built before these tests (see the .csproj).</summary>
    public const string CliReleaseOutput = "../src/Monodepth2.Cli/bin/Release/net10.0/";

    /// <summary>The TorchSharp version of Directory.Packages.props, which the notebooks' #r "nuget: TorchSharp-cpu, ..." must match.</summary>
    public static string TorchSharpVersion =>
        XDocument.Load(Path.Combine(Root, "Directory.Packages.props")).Descendants("TorchSharpVersion").Single().Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Monodepth2.MLNet.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Monodepth2.MLNet.sln above {AppContext.BaseDirectory}.");
    }
}
