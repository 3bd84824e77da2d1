using PipeRL.Envs.MinAtar.Golden;
using PipeRL.Tests;

namespace PipeRL.Envs.Tests.MinAtar.Golden;

/// <summary>
/// Replays every golden trace in the shared folder both ways (injected draws, seeded generator); a trace whose game
/// the port does not have yet is skipped, so new games' traces are checked as soon as the game is registered.
/// </summary>
public sealed class GoldenTraceReplayerTests
{
    private const string TraceFolder = "minatar/golden/traces";

    public static TheoryData<string, GoldenReplayMode> Traces()
    {
        var data = new TheoryData<string, GoldenReplayMode>();
        var folder = SharedData.Find(TraceFolder);
        var files = folder is null ? [] : Directory.GetFiles(folder, "*.jsonl").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            // One placeholder row, which skips with the reason, keeps the theory from failing for lack of data.
            files = ["(no traces found)"];
        }

        foreach (var file in files)
        {
            data.Add(file!, GoldenReplayMode.InjectedDraws);
            data.Add(file!, GoldenReplayMode.Seeded);
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Traces))]
    public void EveryRecordMatches(string file, GoldenReplayMode mode)
    {
        var folder = SharedData.Require(TraceFolder);
        var trace = GoldenTrace.Load(Path.Combine(folder, file));
        Skip.IfNot(GoldenTraceReplayer.CanReplay(trace), $"game '{trace.Header.Game}' is not implemented yet");

        var result = GoldenTraceReplayer.Replay(trace, mode);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(trace.Records.Count, result.RecordsMatched);
    }
}
