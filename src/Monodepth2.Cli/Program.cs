using Monodepth2.Cli;

return CliApp.Build().Parse(args).Invoke();
