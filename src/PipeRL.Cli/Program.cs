using PipeRL.Cli;

return PiperlApp.Run(args, Console.Out, Console.Error);
