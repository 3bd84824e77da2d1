using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using PipeRL.Cli.Commands;
using PipeRL.Envs.MuJoCo;

namespace PipeRL.Cli;

/// <summary>Builds the <c>piperl</c> command tree and runs it with PipeRL's error conventions.</summary>
public static class PiperlApp
{
    /// <summary>Exit code for a command that ran and succeeded.</summary>
    public const int Success = 0;

    /// <summary>Exit code for a command that ran and failed (a check that did not pass, a run that crashed).</summary>
    public const int Failure = 1;

    /// <summary>Exit code for bad usage: unknown command, bad option value, malformed input file.</summary>
    public const int UsageError = 2;

    /// <summary>Builds the root command with every sub-command registered.</summary>
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("PipeRL: real-time reinforcement learning with pipelined networks.");
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(StudyCommand.Create());
        root.Subcommands.Add(PlayCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(MinAtarCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; a usage error prints one line and returns 2.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = CreateRoot();
        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Action = new PrintVersionAction(output);
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // An unknown token explains a missing command better than "Required command was not provided".
            var first = parse.Errors.FirstOrDefault(e => parse.UnmatchedTokens.Any(t => e.Message.Contains(t, StringComparison.Ordinal)))
                ?? parse.Errors[0];
            error.WriteLine($"piperl: {first.Message} (see 'piperl --help')");
            return UsageError;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            error.WriteLine($"piperl: {ex.Message}");
            return UsageError;
        }
        catch (MuJoCoUnavailableException ex)
        {
            // A missing native library is a setup problem: one line naming the fix, no stack trace.
            error.WriteLine($"piperl: {ex.Message}");
            return Failure;
        }
    }

    private sealed class PrintVersionAction(TextWriter output) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var assembly = typeof(PiperlApp).Assembly;
            var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString() ?? "unknown";
            output.WriteLine(version);
            return Success;
        }
    }
}
