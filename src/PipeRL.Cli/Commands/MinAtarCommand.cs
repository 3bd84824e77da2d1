using System.CommandLine;
using PipeRL.Envs.MinAtar;
using PipeRL.Envs.MinAtar.Golden;

namespace PipeRL.Cli.Commands;

/// <summary><c>piperl minatar</c>: tools for the MinAtar games, such as checking the port against golden traces.</summary>
internal static class MinAtarCommand
{
    /// <summary>Creates the <c>minatar</c> command and its sub-commands.</summary>
    public static Command Create()
    {
        var minatar = new Command("minatar", "MinAtar games: check the C# port against traces of the Python reference.");
        minatar.Subcommands.Add(CreateVerify());
        return minatar;
    }

    private static Command CreateVerify()
    {
        var traces = new Argument<string[]>("TRACE")
        {
            Description = "Golden trace files (JSON Lines, format minatar-golden/1).",
            Arity = ArgumentArity.OneOrMore,
        };
        var mode = new Option<string>("--mode")
        {
            Description = "How to replay: 'replay' injects the logged draws, 'seeded' seeds numpy's generator, 'both' does both.",
            DefaultValueFactory = _ => "both",
        };
        mode.AcceptOnlyFromAmong("both", "replay", "seeded");
        var verify = new Command("verify", "Replay golden traces through the port; report the first mismatch (file, record, field, expected, actual) of each.")
        {
            traces,
            mode,
        };
        verify.SetAction(parseResult => Verify(
            parseResult.GetValue(traces) ?? [],
            parseResult.GetValue(mode) ?? "both",
            parseResult.InvocationConfiguration.Output));
        return verify;
    }

    private static int Verify(string[] files, string mode, TextWriter output)
    {
        GoldenReplayMode[] modes = mode switch
        {
            "replay" => [GoldenReplayMode.InjectedDraws],
            "seeded" => [GoldenReplayMode.Seeded],
            _ => [GoldenReplayMode.InjectedDraws, GoldenReplayMode.Seeded],
        };

        // Every file is read first, so a bad path or a malformed file is a usage error before any replay runs.
        var loaded = files.Select(Load).ToArray();
        var passed = true;
        foreach (var trace in loaded)
        {
            if (!GoldenTraceReplayer.CanReplay(trace))
            {
                output.WriteLine($"{trace.Name}: game '{trace.Header.Game}' is not available; games: {string.Join(", ", MinAtarGames.GameNames)}");
                passed = false;
                continue;
            }

            foreach (var replayMode in modes)
            {
                var result = GoldenTraceReplayer.Replay(trace, replayMode);
                output.WriteLine(result.ToString());
                passed &= result.Passed;
            }
        }

        return passed ? PiperlApp.Success : PiperlApp.Failure;
    }

    private static GoldenTrace Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"trace file '{path}' not found.");
        }

        try
        {
            return GoldenTrace.Load(path);
        }
        catch (InvalidDataException ex)
        {
            throw UsageException.From(ex);
        }
    }
}
