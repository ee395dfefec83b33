using Monodepth2.Cli;

return CliApp.Run(args);
