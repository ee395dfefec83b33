using System.CommandLine;
using Monodepth2.Data.Synthetic;

namespace Monodepth2.Cli.Commands;

/// <summary><c>monodepth2 synth</c>: writes the synthetic street world in the KITTI raw layout.</summary>
public static class SynthCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var defaults = new SyntheticWorldOptions();
        var output = new Argument<DirectoryInfo>("output") { Description = "Folder to write the dataset to (created if needed)." };
        var sequences = new Option<int>("--sequences") { Description = "Number of streets (sequences).", DefaultValueFactory = _ => 10 };
        var frames = new Option<int>("--frames") { Description = "Frames per sequence.", DefaultValueFactory = _ => 100 };
        var width = new Option<int>("--width") { Description = "Image width in pixels.", DefaultValueFactory = _ => defaults.Width };
        var height = new Option<int>("--height") { Description = "Image height in pixels.", DefaultValueFactory = _ => defaults.Height };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same files).", DefaultValueFactory = _ => 1 };
        var stereo = new Option<bool>("--stereo") { Description = "Also render the right camera (image_03), 0.54 m to the right." };
        var jpeg = new Option<bool>("--jpeg") { Description = "Write JPEG frames instead of PNG." };
        var test = new Option<int>("--test-sequences") { Description = "Sequences held out for testing.", DefaultValueFactory = _ => 1 };
        var val = new Option<int>("--val-sequences") { Description = "Sequences held out for validation.", DefaultValueFactory = _ => 1 };
        var world = WorldOption.Create("easy");
        var command = new Command("synth", "Generate the synthetic street world (frames, ground-truth depth, poses, splits) in the KITTI raw layout.")
        {
            output, sequences, frames, width, height, seed, stereo, jpeg, test, val,
            world,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var options = new SyntheticWorldOptions
            {
                Width = parse.GetValue(width), Height = parse.GetValue(height), Sequences = parse.GetValue(sequences),
                FramesPerSequence = parse.GetValue(frames), Seed = parse.GetValue(seed), Stereo = parse.GetValue(stereo),
                ImageFormat = parse.GetValue(jpeg) ? SyntheticImageFormat.Jpeg : SyntheticImageFormat.Png,
                TestSequences = parse.GetValue(test), ValSequences = parse.GetValue(val),
            };
            options = options.WithWorld(parse.GetValue(world)!);
            options.Validate();
            var root = parse.GetValue(output)!.FullName;
            var total = options.Sequences * options.FramesPerSequence;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            ConsoleProgress.Run("rendering", total, p =>
            {
                SyntheticDatasetWriter.Write(root, options, new Progress<int>(n => p.Report(n)));
                return 0;
            });
            Console.WriteLine($"Wrote {total} frames ({options.Width}x{options.Height}{(options.Stereo ? ", stereo" : string.Empty)}, {options.WorldName()} world) to {root} in {sw.Elapsed.TotalSeconds:F1} s.");
            Console.WriteLine($"Splits: {Path.Combine(root, "splits")} (train {options.TrainSequences}, val {options.ValSequences}, test {options.TestSequences} sequences).");
            return 0;
        }));
        return command;
    }
}
