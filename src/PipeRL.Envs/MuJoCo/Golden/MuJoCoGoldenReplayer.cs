using System.Globalization;

namespace PipeRL.Envs.MuJoCo.Golden;

/// <summary>
/// Replays a MuJoCo golden trace through PipeRL's task and reports the first value that is not bit-identical:
/// after each reset the state and observation, after each step <c>qpos</c>, <c>qvel</c>, the observation (as the
/// float32 PipeRL emits), the reward, both end flags and every info entry the trace holds.
/// </summary>
public static class MuJoCoGoldenReplayer
{
    /// <summary>Whether PipeRL has the trace's task.</summary>
    public static bool CanReplay(MuJoCoGoldenTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return MuJoCoEnvs.IsRegistered(trace.EnvId);
    }

    /// <summary>Replays <paramref name="trace"/>, starting each episode as <paramref name="start"/> says; needs libmujoco 2.2.2.</summary>
    public static MuJoCoReplayResult Replay(MuJoCoGoldenTrace trace, MuJoCoReplayStart start)
    {
        ArgumentNullException.ThrowIfNull(trace);
        using var env = MuJoCoEnvs.Create(trace.EnvId);
        var observation = new float[env.ObservationSpace.FlatSize];
        var header = CheckHeader(trace, env);
        if (header is not null)
        {
            return new MuJoCoReplayResult(trace.Name, start, 0, trace.Episodes.Count, 0, header);
        }

        var stepsMatched = 0;
        for (var e = 0; e < trace.Episodes.Count; e++)
        {
            var episode = trace.Episodes[e];
            var mismatch = StartEpisode(env, episode, start, observation);
            for (var t = 0; mismatch is null && t < episode.Steps.Count; t++)
            {
                var step = episode.Steps[t];
                var result = env.Step(step.Action, observation);
                mismatch = CheckStep(env, episode.Index, step, result, observation);
                stepsMatched += mismatch is null ? 1 : 0;
            }

            if (mismatch is not null)
            {
                return new MuJoCoReplayResult(trace.Name, start, e, trace.Episodes.Count, stepsMatched, mismatch);
            }
        }

        return new MuJoCoReplayResult(trace.Name, start, trace.Episodes.Count, trace.Episodes.Count, stepsMatched, null);
    }

    private static MuJoCoGoldenMismatch? CheckHeader(MuJoCoGoldenTrace trace, MuJoCoEnv env)
    {
        (string Field, int Expected, int Actual)[] sizes =
        [
            ("nq", trace.Nq, env.Model.Nq), ("nv", trace.Nv, env.Model.Nv), ("nu", trace.Nu, env.Model.Nu),
            ("obs_dim", trace.ObservationSize, env.ObservationSpace.FlatSize),
        ];
        foreach (var (field, expected, actual) in sizes)
        {
            if (expected != actual)
            {
                return new MuJoCoGoldenMismatch(1, -1, -1, field, Text(expected), Text(actual));
            }
        }

        return null;
    }

    private static MuJoCoGoldenMismatch? StartEpisode(MuJoCoEnv env, MuJoCoGoldenEpisode episode, MuJoCoReplayStart start, float[] observation)
    {
        if (start == MuJoCoReplayStart.InjectedState)
        {
            env.ResetToState(episode.InitQpos, episode.InitQvel, observation);
        }
        else if (episode.ResetSeed <= int.MaxValue)
        {
            env.Reset(observation, (int)episode.ResetSeed);
        }
        else
        {
            return new MuJoCoGoldenMismatch(episode.Line, episode.Index, -1, "reset_seed", Text(episode.ResetSeed), "a seed Reset accepts (0 to 2147483647)");
        }

        return Compare(episode.Line, episode.Index, -1, "qpos", episode.ResetQpos, env.Data.Qpos)
            ?? Compare(episode.Line, episode.Index, -1, "qvel", episode.ResetQvel, env.Data.Qvel)
            ?? CompareObservation(episode.Line, episode.Index, -1, episode.ResetObservation, observation);
    }

    private static MuJoCoGoldenMismatch? CheckStep(MuJoCoEnv env, int episode, MuJoCoGoldenStep step, StepResult result, float[] observation)
    {
        var (line, t) = (step.Line, step.T);
        var mismatch = Compare(line, episode, t, "qpos", step.Qpos, env.Data.Qpos)
            ?? Compare(line, episode, t, "qvel", step.Qvel, env.Data.Qvel)
            ?? CompareObservation(line, episode, t, step.Observation, observation)
            ?? Compare(line, episode, t, "reward", step.Reward, result.Reward);
        if (mismatch is not null)
        {
            return mismatch;
        }

        if (result.Terminated != step.Terminated)
        {
            return new MuJoCoGoldenMismatch(line, episode, t, "terminated", Text(step.Terminated), Text(result.Terminated));
        }

        if (result.Truncated != step.Truncated)
        {
            return new MuJoCoGoldenMismatch(line, episode, t, "truncated", Text(step.Truncated), Text(result.Truncated));
        }

        foreach (var (key, expected) in step.Info)
        {
            if (!env.Info.TryGet(key, out var actual))
            {
                return new MuJoCoGoldenMismatch(line, episode, t, $"info.{key}", Text(expected), "(missing)");
            }

            mismatch = Compare(line, episode, t, $"info.{key}", expected, actual);
            if (mismatch is not null)
            {
                return mismatch;
            }
        }

        return null;
    }

    private static MuJoCoGoldenMismatch? Compare(int line, int episode, int step, string field, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            var mismatch = Compare(line, episode, step, $"{field}[{i}]", expected[i], actual[i]);
            if (mismatch is not null)
            {
                return mismatch;
            }
        }

        return null;
    }

    private static MuJoCoGoldenMismatch? Compare(int line, int episode, int step, string field, double expected, double actual) =>
        BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual)
            ? null
            : new MuJoCoGoldenMismatch(line, episode, step, field, Text(expected), $"{Text(actual)} (off by {Text(actual - expected)})");

    // Gymnasium's observation is float64; PipeRL's is the same value rounded to float32.
    private static MuJoCoGoldenMismatch? CompareObservation(int line, int episode, int step, double[] expected, float[] actual)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits((float)expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                return new MuJoCoGoldenMismatch(line, episode, step, $"obs[{i}]", Text((float)expected[i]), Text(actual[i]));
            }
        }

        return null;
    }

    private static string Text<T>(T value)
        where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    private static string Text(bool value) => value ? "true" : "false";
}
