using PipeRL.Agents.Networks;
using PipeRL.Agents.Ppo;
using PipeRL.Agents.Tests.Support;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.Vector;
using PipeRL.Tensors;

namespace PipeRL.Agents.Tests.Ppo;

public sealed class PpoTrainerTests
{
    private static readonly PpoOptions CartPole = PpoOptions.Small with
    {
        NumEnvs = 8,
        NumSteps = 64,
        LearningRate = 2.5e-3f,
        ClipCoef = 0.2f,
        NumMinibatches = 4,
        Network = NetworkSize.Small,
    };

    private sealed class Recorder : ITrainingObserver
    {
        public List<(long Tick, double Return)> Episodes { get; } = [];

        public List<PpoUpdateStats> Updates { get; } = [];

        public void OnEpisode(long tick, double episodeReturn, long episodeTicks) => Episodes.Add((tick, episodeReturn));

        public void OnUpdate(long tick, PpoUpdateStats stats) => Updates.Add(stats);

        public double LateMeanReturn(int last) => Episodes.TakeLast(last).Average(e => e.Return);
    }

    private static Recorder Train(PpoOptions options, int delay, long ticks, int seed = 1)
    {
        using var envs = SyncVectorEnv.Create(options.NumEnvs, _ => new CartPoleEnv());
        var actor = new DelayedMlpActor(4, 2, delay, 7);
        var critic = new ValueNetwork([4], NetworkSize.Small, new SeededRandom(8));
        var recorder = new Recorder();
        using var trainer = new PpoTrainer(envs, actor, critic, options, seed) { Observer = recorder };
        trainer.Train(ticks);
        return recorder;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void LearnsToBalanceCartPoleWithAndWithoutDelay(int delay)
    {
        var r = Train(CartPole, delay, 60_000);
        var early = r.Episodes.Take(20).Average(e => e.Return);
        Assert.True(r.LateMeanReturn(20) > 150, $"delay {delay}: late mean return {r.LateMeanReturn(20):0.0} (early {early:0.0})");
    }

    [Fact]
    public void PaperSchemeTakesOneFullBatchStepPerEpoch()
    {
        var r = Train(CartPole with { UpdateScheme = PpoUpdateScheme.Paper }, 1, 2 * CartPole.BatchSize);
        Assert.Equal(2, r.Updates.Count);
        Assert.All(r.Updates, u => Assert.Equal(CartPole.UpdateEpochs, u.GradientSteps));
    }

    [Fact]
    public void MinibatchSchemeTakesOneStepPerChunkAndEpoch()
    {
        var r = Train(CartPole, 0, CartPole.BatchSize);
        Assert.Equal(CartPole.UpdateEpochs * CartPole.NumMinibatches, Assert.Single(r.Updates).GradientSteps);
    }

    [Fact]
    public void SameSeedGivesTheSameRun()
    {
        var a = Train(CartPole, 1, 2 * CartPole.BatchSize, seed: 3);
        var b = Train(CartPole, 1, 2 * CartPole.BatchSize, seed: 3);
        Assert.Equal(a.Episodes, b.Episodes);
        Assert.Equal(a.Updates, b.Updates);
    }

    [Fact]
    public void FirstEpochReplaysTheRolloutPolicyExactlyAfterBurnIn()
    {
        // Before any step the replayed policy is the rollout's, so the ratio is 1 everywhere after the burn-in.
        var r = Train(CartPole with { UpdateEpochs = 1, NumMinibatches = 1 }, 1, CartPole.BatchSize);
        var u = Assert.Single(r.Updates);
        Assert.Equal(0.0, u.ApproxKl, 6);
        Assert.Equal(0.0, u.ClipFraction);
    }
}
