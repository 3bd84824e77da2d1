using PipeRL.Envs.MuJoCo.Golden;
using PipeRL.Tests;

namespace PipeRL.Envs.Tests.MuJoCo.Golden;

/// <summary>
/// Replays every Gymnasium v4 golden trace in the shared folder bit for bit, each episode started both ways: from
/// the injected start state, and from PipeRL's own seeded reset (numpy's generator and the reset's draws).
/// </summary>
public sealed class MuJoCoGoldenReplayerTests
{
    private const string TraceFolder = "mujoco/golden/traces";

    public static TheoryData<string, MuJoCoReplayStart> Traces()
    {
        var data = new TheoryData<string, MuJoCoReplayStart>();
        foreach (var file in SharedData.FileNamesOrPlaceholder(TraceFolder, "*.jsonl"))
        {
            data.Add(file, MuJoCoReplayStart.InjectedState);
            data.Add(file, MuJoCoReplayStart.SeededReset);
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Traces))]
    public void Every_step_matches_bit_for_bit(string file, MuJoCoReplayStart start)
    {
        var folder = SharedData.Require(TraceFolder);
        MuJoCoAvailability.Require();
        var trace = MuJoCoGoldenTrace.Load(Path.Combine(folder, file));
        Skip.IfNot(MuJoCoGoldenReplayer.CanReplay(trace), $"task '{trace.EnvId}' is not implemented");

        var result = MuJoCoGoldenReplayer.Replay(trace, start);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(trace.StepCount, result.StepsMatched);
        Assert.Equal(trace.Episodes.Count, result.EpisodesMatched);
    }

    [SkippableFact]
    public void A_changed_reward_is_reported_at_its_line()
    {
        var lines = HopperLines();
        var step = lines.FindIndex(l => l.Contains("\"t\": 2,", StringComparison.Ordinal));
        lines[step] = ReplaceNumber(lines[step], "\"reward\": ");

        var result = MuJoCoGoldenReplayer.Replay(Parse(lines), MuJoCoReplayStart.InjectedState);

        Assert.False(result.Passed);
        Assert.Equal((step + 1, 0, 2, "reward"), (result.Mismatch!.Line, result.Mismatch.Episode, result.Mismatch.Step, result.Mismatch.Field));
        Assert.Equal(2, result.StepsMatched);
    }

    [SkippableFact]
    public void The_seeded_reset_draws_its_own_start_state_from_the_recorded_seed()
    {
        var lines = HopperLines();
        var injectedOff = new List<string>(lines);
        injectedOff[1] = injectedOff[1].Replace("\"init_qvel\": [0.001066357757671799,", "\"init_qvel\": [0.0010663577576717992,", StringComparison.Ordinal);
        var otherSeed = new List<string>(lines);
        otherSeed[1] = otherSeed[1].Replace("\"reset_seed\": 0,", "\"reset_seed\": 1,", StringComparison.Ordinal);

        // A start state off by one ulp: the injected replay sees it, the seeded one never reads it.
        var injected = MuJoCoGoldenReplayer.Replay(Parse(injectedOff), MuJoCoReplayStart.InjectedState);
        Assert.Equal((2, -1, "qvel[0]"), (injected.Mismatch!.Line, injected.Mismatch.Step, injected.Mismatch.Field));
        Assert.True(MuJoCoGoldenReplayer.Replay(Parse(injectedOff), MuJoCoReplayStart.SeededReset).Passed);

        // Another seed: only the seeded replay changes.
        var seeded = MuJoCoGoldenReplayer.Replay(Parse(otherSeed), MuJoCoReplayStart.SeededReset);
        Assert.Equal((2, -1, "qpos[0]"), (seeded.Mismatch!.Line, seeded.Mismatch.Step, seeded.Mismatch.Field));
        Assert.True(MuJoCoGoldenReplayer.Replay(Parse(otherSeed), MuJoCoReplayStart.InjectedState).Passed);
    }

    private static List<string> HopperLines()
    {
        MuJoCoAvailability.Require();
        var path = Path.Combine(SharedData.Require(TraceFolder), "hopper-v4.jsonl");

        // The header, then the first episode (43 steps), declared as the only one.
        var lines = File.ReadLines(path).Take(45).ToList();
        lines[0] = lines[0].Replace("\"episodes\": 6", "\"episodes\": 1", StringComparison.Ordinal);
        return lines;
    }

    private static MuJoCoGoldenTrace Parse(List<string> lines) => MuJoCoGoldenTrace.Read(new StringReader(string.Join('\n', lines)), "edited.jsonl");

    // Replaces the number after <paramref name="prefix"/> by itself plus 1e-9, written out.
    private static string ReplaceNumber(string line, string prefix)
    {
        var at = line.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length;
        var end = line.IndexOf(',', at);
        var value = double.Parse(line[at..end], System.Globalization.CultureInfo.InvariantCulture) + 1e-9;
        return string.Concat(line.AsSpan(0, at), value.ToString("R", System.Globalization.CultureInfo.InvariantCulture), line.AsSpan(end));
    }
}
