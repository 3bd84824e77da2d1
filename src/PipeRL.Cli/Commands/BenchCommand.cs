using System.CommandLine;

namespace PipeRL.Cli.Commands;

/// <summary><c>piperl bench</c>: measured throughput of PipeRL's parts on this machine.</summary>
internal static class BenchCommand
{
    /// <summary>Creates the <c>bench</c> command and its sub-commands.</summary>
    public static Command Create()
    {
        var bench = new Command("bench", "Measure PipeRL's speed on this machine (engine, environments, pipelines).");
        bench.Subcommands.Add(BenchEnvsCommand.Create());
        return bench;
    }
}
