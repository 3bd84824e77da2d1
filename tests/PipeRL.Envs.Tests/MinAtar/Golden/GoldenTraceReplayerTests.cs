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
        foreach (var file in SharedData.FileNamesOrPlaceholder(TraceFolder, "*.jsonl"))
        {
            data.Add(file, GoldenReplayMode.InjectedDraws);
            data.Add(file, GoldenReplayMode.Seeded);
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

    [SkippableFact]
    public void ACorruptedObservationIsReportedAtItsLine()
    {
        var lines = BreakoutLines();
        lines[4] = ReplaceField(lines[4], "\"obs\":\"", "f");
        var result = GoldenTraceReplayer.Replay(Parse(lines), GoldenReplayMode.InjectedDraws);

        Assert.False(result.Passed);
        Assert.Equal(5, result.Mismatch!.Line);
        Assert.Equal("obs", result.Mismatch.Field);
        Assert.Equal(3, result.RecordsMatched);
        Assert.Contains("hidden [ball_x,ball_y,ball_dir,strike]", result.Mismatch.Detail, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void ADifferentDrawValueFailsOnlyTheSeededReplay()
    {
        var lines = BreakoutLines();
        lines[2] = lines[2].Replace("0.5928446182250183", "0.5928446182250184", StringComparison.Ordinal);
        var trace = Parse(lines);

        var seeded = GoldenTraceReplayer.Replay(trace, GoldenReplayMode.Seeded);
        Assert.Equal((3, "draws"), (seeded.Mismatch!.Line, seeded.Mismatch.Field));
        Assert.Contains("0.5928446182250183", seeded.Mismatch.Actual, StringComparison.Ordinal);
        Assert.True(GoldenTraceReplayer.Replay(trace, GoldenReplayMode.InjectedDraws).Passed);
    }

    [SkippableFact]
    public void AMissingDrawIsReportedAsAnExtraDraw()
    {
        var lines = BreakoutLines();
        lines[1] = lines[1].Replace("[[\"g\",\"randint\",[2],0]]", "[]", StringComparison.Ordinal);
        var result = GoldenTraceReplayer.Replay(Parse(lines), GoldenReplayMode.InjectedDraws);

        Assert.Equal((2, "draws"), (result.Mismatch!.Line, result.Mismatch.Field));
        Assert.Contains("extra draw #1: randint(0, 2)", result.Mismatch.Actual, StringComparison.Ordinal);
    }

    private static List<string> BreakoutLines()
    {
        var path = Path.Combine(SharedData.Require(TraceFolder), "breakout_lcg_seed0_sticky0.1.jsonl");
        List<string> lines = [.. File.ReadLines(path).Take(40)];

        // The header declares the length of the whole trace; this shortened one declares its own.
        var acts = lines.Count(l => l.Contains("\"op\":\"act\"", StringComparison.Ordinal));
        lines[0] = lines[0].Replace("\"max_acts\":1500", $"\"max_acts\":{acts}", StringComparison.Ordinal);
        return lines;
    }

    private static GoldenTrace Parse(List<string> lines) => GoldenTrace.Read(new StringReader(string.Join('\n', lines)), "edited.jsonl");

    // Replaces the first character of the string value that follows <paramref name="prefix"/>.
    private static string ReplaceField(string line, string prefix, string character)
    {
        var at = line.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length;
        var replacement = line[at] == character[0] ? "0" : character;
        return string.Concat(line.AsSpan(0, at), replacement, line.AsSpan(at + 1));
    }
}
