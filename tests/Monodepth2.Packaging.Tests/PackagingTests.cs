using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Monodepth2.MLNet.Transforms;
using Monodepth2.Networks;
using Monodepth2.Weights;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Monodepth2.Packaging.Tests;

/// <summary>
/// The README's "Use it in your own project", as a new user does it: pack the three libraries into a folder, create a
/// console app with `dotnet new console`, `dotnet add package Monodepth2.MLNet` from that folder (nothing else), put
/// the README's Program.cs in it (which holds the "Score with a model folder" snippet), and `dotnet run` it on a model
/// folder and a PNG. The app must print the depth that the same pipeline gives in this process.
/// </summary>
public sealed partial class PackagingTests(ITestOutputHelper output)
{
    private const int Width = 128;
    private const int Height = 64;
    private const int OutputWidth = 1242;
    private const int OutputHeight = 375;
    private static readonly string[] Libraries = ["Monodepth2", "Monodepth2.Onnx", "Monodepth2.MLNet"];

    [Fact]
    public void AConsoleAppWithOnlyTheMonodepth2MLNetPackageRunsTheReadmeProgram()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var program = ProgramOfTheReadme(readme);

        // A version no earlier run can have left in the NuGet cache, so the app cannot pick up a stale package.
        var version = $"0.0.0-test{DateTime.UtcNow.Ticks}";
        var work = Path.Combine(Path.GetTempPath(), $"monodepth2-packaging-{Guid.NewGuid():N}");
        var packages = Path.Combine(work, "packages");
        var app = Path.Combine(work, "depth-app");
        Directory.CreateDirectory(app);
        try
        {
            var clock = Stopwatch.StartNew();
            // The libraries were built with this test assembly (project reference), in its configuration: pack them as built.
            foreach (var library in Libraries)
            {
                Dotnet(root, "pack", Path.Combine(root, "src", library, library + ".csproj"), "-c", Configuration, "--no-build",
                    "-o", packages, $"-p:Version={version}", $"-p:NuspecOutputPath={Path.Combine(work, "nuspec", library)}");
                var nuspec = File.ReadAllText(Path.Combine(work, "nuspec", library, $"{library}.{version}.nuspec"));
                Assert.Contains("<license type=\"expression\">MIT</license>", nuspec, StringComparison.Ordinal);
                Assert.Contains("<readme>README.md</readme>", nuspec, StringComparison.Ordinal);
                Assert.Matches("<description>[^<]{20,}</description>", nuspec);
            }

            output.WriteLine($"pack: {clock.Elapsed.TotalSeconds:F0} s");
            Dotnet(app, "new", "console");
            Dotnet(app, "add", "package", "Monodepth2.MLNet", "--source", packages, "--version", version);
            output.WriteLine($"new console, add package: {clock.Elapsed.TotalSeconds:F0} s");

            var references = Regex.Matches(File.ReadAllText(Path.Combine(app, "depth-app.csproj")), @"<PackageReference Include=""([^""]+)""")
                .Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(["Monodepth2.MLNet"], references);
            File.WriteAllText(Path.Combine(app, "Program.cs"), program);
            var modelFolder = Path.Combine(app, "models", "mono_640x192");
            SaveRandomModel(modelFolder);
            Directory.CreateDirectory(Path.Combine(app, "images"));
            var image = Path.Combine(app, "images", "frame.png");
            WriteImage(image);

            var printed = Dotnet(app, "run");
            output.WriteLine($"run: {clock.Elapsed.TotalSeconds:F0} s");
            output.WriteLine(printed);

            var line = PrintedLine().Match(printed);
            Assert.True(line.Success, $"the app printed no depth line:\n{printed}");
            Assert.Equal("frame.png", line.Groups["file"].Value);
            Assert.Equal(OutputWidth * OutputHeight, int.Parse(line.Groups["count"].Value, CultureInfo.InvariantCulture));
            Assert.Equal($"{Width}x{Height}", line.Groups["network"].Value);
            var (min, max, mean) = (Number(line, "min"), Number(line, "max"), Number(line, "mean"));

            var expected = ScoreInProcess(modelFolder, image);
            output.WriteLine(FormattableString.Invariant($"in process: {expected.Min():F3} to {expected.Max():F3} m, mean {expected.Average():F6} m"));
            Assert.Equal(expected.Min(), min, 0.0015);
            Assert.Equal(expected.Max(), max, 0.0015);
            Assert.True(Math.Abs(mean - expected.Average()) <= 1e-4 * expected.Average(), $"the app's mean depth {mean} differs from {expected.Average()}");
            Assert.True(max - min > 1e-3, $"the depth map is constant ({min}..{max}): the image did not reach the network");
        }
        finally
        {
            TryDelete(work);
            // The unique version would otherwise stay in the shared NuGet cache after every run.
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (var library in Libraries)
            {
                TryDelete(Path.Combine(cache, library.ToLowerInvariant(), version));
            }
        }
    }

    [Fact]
    public void TheReadmeProgramHoldsTheScoreWithAModelFolderSnippet()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var start = readme.IndexOf("**Score with a model folder**", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no \"Score with a model folder\" snippet");
        var snippet = CodeBlockAfter(readme, start);
        Assert.Contains("EstimateDepth(", snippet, StringComparison.Ordinal);
        Assert.Contains(snippet, ProgramOfTheReadme(readme), StringComparison.Ordinal);
    }

    private static string Configuration =>
        typeof(PackagingTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The first C# block of the README's section "Use it in your own project".</summary>
    private static string ProgramOfTheReadme(string readme)
    {
        var start = readme.IndexOf("\n## Use it in your own project", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no section \"Use it in your own project\"");
        return CodeBlockAfter(readme, readme.IndexOf("```csharp", start, StringComparison.Ordinal));
    }

    private static string CodeBlockAfter(string text, int from)
    {
        var open = text.IndexOf("```csharp\n", from, StringComparison.Ordinal);
        Assert.True(open >= 0, "no ```csharp block");
        open += "```csharp\n".Length;
        return text[open..text.IndexOf("```", open, StringComparison.Ordinal)];
    }

    private static double Number(Match line, string group) => double.Parse(line.Groups[group].Value, CultureInfo.InvariantCulture);

    private static void SaveRandomModel(string folder)
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(7);
        using var networks = new MonodepthNetworks(new NetworkOptions(18), withPose: false);
        ModelFolder.Save(folder, networks, new ModelInfo { Width = Width, Height = Height, UseStereo = false });
    }

    /// <summary>A 96x48 PNG with a horizon: sky above, a ground gradient below, so the depth map is not constant.</summary>
    private static void WriteImage(string path)
    {
        using var image = new Image<Rgb24>(96, 48);
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                image[x, y] = y < 20 ? new Rgb24(120, 170, 230) : new Rgb24((byte)(60 + (2 * y)), (byte)(50 + x), 40);
            }
        }

        image.SaveAsPng(path);
    }

    /// <summary>The same pipeline as the README's program, in this process, on the project-built assemblies.</summary>
    private static float[] ScoreInProcess(string modelFolder, string image)
    {
        var ml = new MLContext();
        var images = ml.Data.LoadFromEnumerable(new[] { new ImageRow { Path = image } });
        var pipeline = ml.Transforms.LoadImages("Image", null, "Path")
            .Append(ml.Transforms.EstimateDepth("Depth", "Image", modelFolder, new DepthScoringOptions { OutputWidth = OutputWidth, OutputHeight = OutputHeight }));
        using var model = pipeline.Fit(images);
        return model.Transform(images).GetColumn<VBuffer<float>>("Depth").Single().DenseValues().ToArray();
    }

    private string Dotnet(string workingDirectory, params string[] args)
    {
        // No build servers may outlive the commands and hold their output open.
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0", ["MSBUILDDISABLENODEREUSE"] = "1", ["UseSharedCompilation"] = "false",
        };
        var clock = Stopwatch.StartNew();
        var (exit, text) = DotnetCommand.Run(workingDirectory, environment, TimeSpan.FromMinutes(5), args);
        Assert.True(exit is not null, $"dotnet {string.Join(' ', args)} ran over 5 minutes:\n{text}");
        output.WriteLine($"dotnet {string.Join(' ', args.Take(2))}: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(exit == 0, $"dotnet {string.Join(' ', args)} exited with {exit}:\n{text}");
        return text;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string RepositoryRoot()
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

    [GeneratedRegex(@"^(?<file>\S+): (?<count>\d+) depths, (?<min>[\d.]+) to (?<max>[\d.]+) m, mean (?<mean>[\d.]+) m \(network (?<network>\d+x\d+)\)", RegexOptions.Multiline)]
    private static partial Regex PrintedLine();

    public sealed class ImageRow
    {
        public string Path { get; set; } = "";
    }
}
