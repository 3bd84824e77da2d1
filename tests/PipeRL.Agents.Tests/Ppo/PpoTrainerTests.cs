using PipeRL.Agents.Networks;
using PipeRL.Agents.Ppo;
using PipeRL.Agents.Tests.Support;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.Vector;
using PipeRL.Tensors;
using PipeRL.Tensors.IO;

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

        public List<UpdateStats> Updates { get; } = [];

        public void OnEpisode(long tick, double episodeReturn, long episodeTicks) => Episodes.Add((tick, episodeReturn));

        public void OnUpdate(long tick, UpdateStats stats) => Updates.Add(stats);

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
        Assert.All(r.Updates, u => Assert.Equal(CartPole.UpdateEpochs, u["gradient_steps"]));
    }

    [Fact]
    public void MinibatchSchemeTakesOneStepPerChunkAndEpoch()
    {
        var r = Train(CartPole, 0, CartPole.BatchSize);
        Assert.Equal(CartPole.UpdateEpochs * CartPole.NumMinibatches, Assert.Single(r.Updates)["gradient_steps"]);
    }

    [Fact]
    public void SameSeedGivesTheSameRun()
    {
        var a = Train(CartPole, 1, 2 * CartPole.BatchSize, seed: 3);
        var b = Train(CartPole, 1, 2 * CartPole.BatchSize, seed: 3);
        Assert.Equal(a.Episodes, b.Episodes);
        Assert.Equal(a.Updates.Select(u => u.Values), b.Updates.Select(u => u.Values));
    }

    [Fact]
    public void FirstEpochReplaysTheRolloutPolicyExactlyAfterBurnIn()
    {
        // Before any step the replayed policy is the rollout's, so the ratio is 1 everywhere after the burn-in.
        var r = Train(CartPole with { UpdateEpochs = 1, NumMinibatches = 1 }, 1, CartPole.BatchSize);
        var u = Assert.Single(r.Updates);
        Assert.Equal(0.0, u["approx_kl"], 6);
        Assert.Equal(0.0, u["clip_fraction"]);
    }

    [Fact]
    public void ASavedStateContinuesExactlyAsTheTrainerThatSavedIt()
    {
        // A stops after 2 of 4 updates, saves, and continues; B starts from other weights, loads A's state and
        // continues. Both restart episodes from the same derived seed, so every parameter must end bit-identical.
        var options = CartPole with { AnnealLearningRate = true };
        var total = 4 * options.BatchSize;
        using var envsA = SyncVectorEnv.Create(options.NumEnvs, _ => new CartPoleEnv());
        var actorA = new DelayedMlpActor(4, 2, 1, 7);
        var criticA = new ValueNetwork([4], NetworkSize.Small, new SeededRandom(8));
        var stopAfterTwo = new StopAfter(2);
        using var a = new PpoTrainer(envsA, actorA, criticA, options, seed: 5) { Observer = stopAfterTwo };
        stopAfterTwo.Trainer = a;
        a.Train(total);
        Assert.Equal((2, 2L * options.BatchSize), (a.Updates, a.Ticks));
        var saved = new Checkpoint();
        a.SaveState(saved);

        using var envsB = SyncVectorEnv.Create(options.NumEnvs, _ => new CartPoleEnv());
        var actorB = new DelayedMlpActor(4, 2, 1, 70);
        var criticB = new ValueNetwork([4], NetworkSize.Small, new SeededRandom(80));
        var recorderB = new Recorder();
        using var b = new PpoTrainer(envsB, actorB, criticB, options, seed: 5) { Observer = recorderB };
        var path = Path.Combine(Path.GetTempPath(), $"piperl-ppo-state-{Guid.NewGuid():N}.ckpt");
        try
        {
            saved.Save(path);
            b.LoadState(Checkpoint.Load(path));
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Equal((2, 2L * options.BatchSize), (b.Updates, b.Ticks));
        Assert.All(actorA.Parameters.Zip(actorB.Parameters), p => Assert.Equal(p.First.Value.Span.ToArray(), p.Second.Value.Span.ToArray()));

        a.Train(total);
        b.Train(total);
        Assert.Equal((4, 4L * options.BatchSize), (b.Updates, b.Ticks));
        Assert.Equal(
            [LearningRateSchedule.Linear(options.LearningRate, 3, 4), LearningRateSchedule.Linear(options.LearningRate, 4, 4)],
            recorderB.Updates.Select(u => (float)u["learning_rate"]));
        foreach (var (pa, pb) in actorA.Parameters.Concat(criticA.Parameters).Zip(actorB.Parameters.Concat(criticB.Parameters)))
        {
            Assert.Equal(pa.Value.Span.ToArray(), pb.Value.Span.ToArray());
        }

        // The continued updates really trained: the weights moved from the checkpoint.
        Assert.NotEqual(saved.GetTensor(PpoTrainer.ActorPrefix + actorA.Parameters[0].Name).Span.ToArray(), actorA.Parameters[0].Value.Span.ToArray());
    }

    [Fact]
    public void AStateOfOtherOptionsIsRefused()
    {
        using var envs = SyncVectorEnv.Create(CartPole.NumEnvs, _ => new CartPoleEnv());
        using var trainer = new PpoTrainer(envs, new DelayedMlpActor(4, 2, 1, 7), new ValueNetwork([4], NetworkSize.Small, new SeededRandom(8)), CartPole, seed: 5);
        var state = new Checkpoint();
        trainer.SaveState(state);
        state.SetIntegers("ppo.updates_ticks", [3, 3L * (CartPole.BatchSize + 1)]);
        Assert.Throws<InvalidDataException>(() => trainer.LoadState(state));
    }

    [Fact]
    public void ACriticThatDoesNotReadTheChosenInputIsRefused()
    {
        // DelayedMlpActor carries no history, so its augmented input is the observation: a critic reading more is refused.
        using var envs = SyncVectorEnv.Create(CartPole.NumEnvs, _ => new CartPoleEnv());
        var wide = new ValueNetwork([4], NetworkSize.Small, new SeededRandom(8), history: 1, actionWidth: 2);
        Assert.Throws<ArgumentException>(() => new PpoTrainer(envs, new DelayedMlpActor(4, 2, 1, 7), wide, CartPole with { CriticInput = CriticInput.Augmented }, seed: 5));
        using var trainer = new PpoTrainer(envs, new DelayedMlpActor(4, 2, 1, 7), new ValueNetwork([4], NetworkSize.Small, new SeededRandom(8)), CartPole with { CriticInput = CriticInput.Augmented }, seed: 5);
    }

    private sealed class StopAfter(int updates) : ITrainingObserver
    {
        public PpoTrainer? Trainer { get; set; }

        public void OnEpisode(long tick, double episodeReturn, long episodeTicks)
        {
        }

        public void OnUpdate(long tick, UpdateStats stats)
        {
            if (Trainer!.Updates == updates)
            {
                Trainer.RequestStop();
            }
        }
    }
}
