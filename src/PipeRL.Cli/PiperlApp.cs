using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using PipeRL.Cli.Commands;
using PipeRL.Envs.MuJoCo;
using PipeRL.Experiments;

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
        root.Subcommands.Add(RunsCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
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
        catch (Exception ex)
        {
            var (code, message) = Describe(ex);
            error.WriteLine($"piperl: {message.ReplaceLineEndings(" ")}");
            return code;
        }
    }

    /// <summary>
    /// The exit code and the one line that report <paramref name="exception"/>: bad input and file-system failures
    /// exit 2, a missing native library 1, and anything else is a bug in PipeRL, reported as such (exit 1) with the
    /// place it was thrown, never as a stack trace.
    /// </summary>
    internal static (int Code, string Message) Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var ex = exception;
        while (ex is AggregateException { InnerExceptions.Count: > 0 } or TargetInvocationException { InnerException: not null })
        {
            ex = ex is AggregateException aggregate ? aggregate.InnerExceptions[0] : ex.InnerException!;
        }

        return ex switch
        {
            UsageException or UserInputException => (UsageError, ex.Message),
            IOException or UnauthorizedAccessException => (UsageError, ex.Message),

            // A missing native library is a setup problem: one line naming the fix.
            MuJoCoUnavailableException => (Failure, ex.Message),
            _ => (Failure, $"internal error (a bug in PipeRL; please report it with the command line): {ex.GetType().Name}: {ex.Message}{Where(ex)}"),
        };
    }

    private static string Where(Exception ex)
    {
        var frame = new System.Diagnostics.StackTrace(ex, fNeedFileInfo: false).GetFrames()
            .Select(f => f.GetMethod())
            .FirstOrDefault(m => m?.DeclaringType?.Namespace?.StartsWith("PipeRL", StringComparison.Ordinal) == true);
        return frame is null ? string.Empty : $" (in {frame.DeclaringType!.FullName}.{frame.Name})";
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
