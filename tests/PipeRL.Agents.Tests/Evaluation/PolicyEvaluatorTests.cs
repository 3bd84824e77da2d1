using PipeRL.Agents.Evaluation;
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
