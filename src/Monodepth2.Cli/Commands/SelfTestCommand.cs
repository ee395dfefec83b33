using System.CommandLine;
using Monodepth2.Networks;
using Monodepth2.Training;
using static TorchSharp.torch;

namespace Monodepth2.Cli.Commands;

/// <summary><c>monodepth2 selftest</c>: checks that TorchSharp loads and the depth network runs on this machine.</summary>
public static class SelfTestCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("selftest", "Check that TorchSharp's native runtime loads and a depth network runs a forward pass.");
        command.SetAction(_ =>
        {
            try
            {
                TorchRuntime.EnsureLoaded();
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }

            using var scope = NewDisposeScope();
            using var encoder = new ResnetEncoder(18, 1);
            using var decoder = new DepthDecoder(encoder.NumChannels);
            using var noGrad = no_grad();
            var disparity = decoder.call(encoder.call(rand(1, 3, TrainingOptions.DefaultHeight, TrainingOptions.DefaultWidth)))[0];
            Console.WriteLine($"TorchSharp OK: depth network output [{string.Join(", ", disparity.shape)}]");
            return 0;
        });
        return command;
    }
}
