using PipeRL.Agents.Evaluation;
using PipeRL.Agents.Normalization;
using PipeRL.Agents.Tests.Support;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.Vector;

namespace PipeRL.Agents.Tests.Evaluation;

public sealed class PolicyEvaluatorTests
{
    [Fact]
    public void RunsOneEpisodePerEnvAndSumsRawRewards()
    {
        using var envs = SyncVectorEnv.Create(5, _ => new CartPoleEnv());
        var actor = new DelayedMlpActor(4, 2, 0, 3);
        var result = PolicyEvaluator.Run(envs, actor, greedy: true, seed: 4);
        Assert.Equal(5, result.Returns.Count);
        Assert.Equal(0, result.Truncated);

        // CartPole pays 1 per step, so each return is its episode's length; replaying env 2 greedily gives the same.
        using var single = SyncVectorEnv.Create(1, _ => new CartPoleEnv());
        var again = PolicyEvaluator.Run(single, new DelayedMlpActor(4, 2, 0, 3), greedy: true, seed: 6);
        Assert.Equal(result.Returns[2], again.Returns[0]);
        Assert.All(result.Returns, r => Assert.InRange(r, 8, 500));
    }

    [Fact]
    public void ObservationsAreStandardisedByTheFrozenStatistics()
    {
        // The actor's action ignores its input, so both runs take the same steps and only what the actor sees differs.
        var normalizer = new ObservationNormalizer(4, 2f);
        normalizer.Update([0.5f, 1f, -0.1f, 2f, -0.5f, -1f, 0.1f, 0f], 2, new float[8]);
        var before = normalizer.Statistics.ToArray();
        using var rawEnvs = SyncVectorEnv.Create(2, _ => new CartPoleEnv());
        var raw = new RecordingActor(4, 2);
        var rawResult = PolicyEvaluator.Run(rawEnvs, raw, greedy: true, seed: 3);
        using var envs = SyncVectorEnv.Create(2, _ => new CartPoleEnv());
        var seen = new RecordingActor(4, 2);
        var result = PolicyEvaluator.Run(envs, seen, greedy: true, seed: 3, normalizer: normalizer);

        Assert.Equal(rawResult.Returns, result.Returns);
        Assert.Equal(raw.Inputs.Count, seen.Inputs.Count);
        var mean = before.AsSpan(1, 4);
        var variance = before.AsSpan(5, 4);
        for (var t = 0; t < raw.Inputs.Count; t++)
        {
            for (var k = 0; k < 8; k++)
            {
                var expected = Math.Clamp((raw.Inputs[t][k] - mean[k % 4]) / Math.Sqrt(variance[k % 4] + 1e-8), -2, 2);
                Assert.Equal(expected, seen.Inputs[t][k], 1e-5);
            }
        }

        Assert.Equal(before, normalizer.Statistics.ToArray());
    }

    [Fact]
    public void EpisodesBeyondTheTickLimitAreCountedTruncated()
    {
        using var envs = SyncVectorEnv.Create(2, _ => new PendulumEnv());
        var result = PolicyEvaluator.Run(envs, new DelayedMlpActor(3, 2, 1, 3), greedy: false, seed: 1, maxTicks: 50);
        Assert.Equal(2, result.Truncated);
        Assert.All(result.Returns, r => Assert.True(r < 0));
    }

    [Fact]
    public void MeanAndStdAreOverEpisodes()
    {
        var r = new EvaluationResult(true, [1.0, 3.0], 0);
        Assert.Equal(2.0, r.Mean);
        Assert.Equal(1.0, r.Std);
    }
}
