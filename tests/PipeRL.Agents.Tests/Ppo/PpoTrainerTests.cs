using PipeRL.Agents.Networks;
using PipeRL.Agents.Ppo;
using PipeRL.Agents.Tests.Support;
using PipeRL.Envs;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.MinAtar;
using PipeRL.Envs.Vector;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
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
        public List<(long Tick, double Return, long Ticks)> Episodes { get; } = [];

        public List<UpdateStats> Updates { get; } = [];

        public void OnEpisode(long tick, double episodeReturn, long episodeTicks) => Episodes.Add((tick, episodeReturn, episodeTicks));

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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ASavedStateContinuesExactlyAsTheRunThatWasNotStopped(bool normalize)
    {
        // A stops after 2 of 4 updates, saves, and continues; B starts from other weights and other env seeds, loads A's
        // state and continues; C is never stopped. Every parameter of the three must end bit-identical (with
        // normalisation, only if the statistics, the standardised observations and the discounted returns came back too).
        var options = CartPole with { AnnealLearningRate = true, NormalizeObservations = normalize, NormalizeRewards = normalize };
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

        using var envsB = SyncVectorEnv.Create(options.NumEnvs, i => new CartPoleEnv((uint)(100 + i)));
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
        if (normalize)
        {
            // The first reset and every tick of two rollouts, 8 envs each, on top of the 1e-4 prior.
            Assert.Equal(1e-4 + (8 * (1 + (2 * 64))), b.ObservationNormalizer!.Statistics.Count, 9);
            Assert.Equal(a.ObservationNormalizer!.Statistics.ToArray(), b.ObservationNormalizer.Statistics.ToArray());
        }

        a.Train(total);
        b.Train(total);
        Assert.Equal((4, 4L * options.BatchSize), (b.Updates, b.Ticks));
        Assert.Equal(
            [LearningRateSchedule.Linear(options.LearningRate, 3, 4), LearningRateSchedule.Linear(options.LearningRate, 4, 4)],
            recorderB.Updates.Select(u => (float)u["learning_rate"]));
        using var envsC = SyncVectorEnv.Create(options.NumEnvs, _ => new CartPoleEnv());
        var actorC = new DelayedMlpActor(4, 2, 1, 7);
        var criticC = new ValueNetwork([4], NetworkSize.Small, new SeededRandom(8));
        var recorderC = new Recorder();
        using (var c = new PpoTrainer(envsC, actorC, criticC, options, seed: 5) { Observer = recorderC })
        {
            c.Train(total);
        }

        var parametersC = actorC.Parameters.Concat(criticC.Parameters).ToList();
        Assert.All(actorA.Parameters.Concat(criticA.Parameters).Zip(parametersC), p => Assert.Equal(p.Second.Value.Span.ToArray(), p.First.Value.Span.ToArray()));
        Assert.All(actorB.Parameters.Concat(criticB.Parameters).Zip(parametersC), p => Assert.Equal(p.Second.Value.Span.ToArray(), p.First.Value.Span.ToArray()));
        Assert.Equal(recorderC.Updates[2..].SelectMany(u => u.Values), recorderB.Updates.SelectMany(u => u.Values));
        Assert.Equal(recorderC.Episodes.SkipWhile(e => e.Tick <= 2L * options.BatchSize), recorderB.Episodes);

        // The continued updates really trained: the weights moved from the checkpoint.
        Assert.NotEqual(saved.GetTensor(PpoTrainer.ActorPrefix + actorA.Parameters[0].Name).Span.ToArray(), actorA.Parameters[0].Value.Span.ToArray());
    }

    public static TheoryData<string, int, ExecutionMode?, EpisodeBoundary> MinAtarActors() => new()
    {
        { "pipelined", 0, null, EpisodeBoundary.Carry },
        { "temporal-skip-aug", 2, null, EpisodeBoundary.Reset },
        { "cnn-skipres-aug", 1, ExecutionMode.Sequential, EpisodeBoundary.Carry },
        { "lstm", 0, null, EpisodeBoundary.Reset },
        { "instant", 0, null, EpisodeBoundary.Carry },
    };

    [Theory]
    [MemberData(nameof(MinAtarActors))]
    public void AMinAtarRunRestoredInANewTrainerIsTheRunThatWasNotStopped(string arch, int history, ExecutionMode? execution, EpisodeBoundary boundary)
    {
        // Episodes, layer values, histories and sticky actions are in progress at the checkpoint; the restoring trainer's
        // actor, critic and envs start from other seeds, so only what the checkpoint carries can make it match.
        var options = PpoOptions.Small with { NumEnvs = 4, NumSteps = 32, NumMinibatches = 2, UpdateEpochs = 2, LearningRate = 1e-3f, AnnealLearningRate = true, Network = NetworkSize.Small };
        var total = 6 * options.BatchSize;
        using var whole = new MinAtarRun(options, arch, history, execution, boundary, seed: 1);
        whole.Trainer.Train(total);

        using var first = new MinAtarRun(options, arch, history, execution, boundary, seed: 1);
        var stop = new StopAfter(2) { Trainer = first.Trainer, Inner = first.Recorder };
        first.Trainer.Observer = stop;
        first.Trainer.Train(total);
        var saved = new Checkpoint();
        first.Trainer.SaveState(saved);
        var path = Path.Combine(Path.GetTempPath(), $"piperl-ppo-minatar-{Guid.NewGuid():N}.ckpt");
        using var second = new MinAtarRun(options, arch, history, execution, boundary, seed: 9);
        try
        {
            saved.Save(path);
            second.Trainer.LoadState(Checkpoint.Load(path));
        }
        finally
        {
            File.Delete(path);
        }

        second.Trainer.Train(total);
        Assert.Equal(6, second.Trainer.Updates);
        Assert.Equal(whole.Recorder.Updates.SelectMany(u => u.Values), first.Recorder.Updates.Concat(second.Recorder.Updates).SelectMany(u => u.Values));
        Assert.Equal(whole.Recorder.Episodes, [.. first.Recorder.Episodes, .. second.Recorder.Episodes]);
        Assert.True(first.Recorder.Episodes.Count > 0 && second.Recorder.Episodes.Count > 0, "episodes must end on both sides of the checkpoint");
        foreach (var (expected, actual) in whole.Parameters.Zip(second.Parameters))
        {
            Assert.Equal(expected.Value.Span.ToArray(), actual.Value.Span.ToArray());
        }
    }

    [Fact]
    public void ACheckpointWithoutActingStateIsRefused()
    {
        using var envs = SyncVectorEnv.Create(CartPole.NumEnvs, _ => new CartPoleEnv());
        using var trainer = new PpoTrainer(envs, new DelayedMlpActor(4, 2, 1, 7), new ValueNetwork([4], NetworkSize.Small, new SeededRandom(8)), CartPole, seed: 5);
        trainer.Train(CartPole.BatchSize);
        var saved = new Checkpoint();
        trainer.SaveState(saved);

        // What an earlier PipeRL wrote: parameters, optimizer, counters and random source only.
        var old = new Checkpoint();
        foreach (var (name, tensor) in saved.Tensors)
        {
            old.SetTensor(name, tensor);
        }

        foreach (var (name, values) in saved.Integers)
        {
            old.SetIntegers(name, values);
        }

        Assert.Contains("no acting state", Assert.Throws<InvalidDataException>(() => trainer.LoadState(old)).Message, StringComparison.Ordinal);
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
    public void ANormalisingTrainerRefusesAStateWithoutStatistics()
    {
        using var envs = SyncVectorEnv.Create(CartPole.NumEnvs, _ => new CartPoleEnv());
        using var plain = new PpoTrainer(envs, new DelayedMlpActor(4, 2, 1, 7), new ValueNetwork([4], NetworkSize.Small, new SeededRandom(8)), CartPole, seed: 5);
        var state = new Checkpoint();
        plain.SaveState(state);
        using var normalizing = new PpoTrainer(envs, new DelayedMlpActor(4, 2, 1, 7), new ValueNetwork([4], NetworkSize.Small, new SeededRandom(8)), CartPole with { NormalizeObservations = true }, seed: 5);
        Assert.Throws<InvalidDataException>(() => normalizing.LoadState(state));
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

        public Recorder? Inner { get; init; }

        public void OnEpisode(long tick, double episodeReturn, long episodeTicks) => Inner?.OnEpisode(tick, episodeReturn, episodeTicks);

        public void OnUpdate(long tick, UpdateStats stats)
        {
            Inner?.OnUpdate(tick, stats);
            if (Trainer!.Updates == updates)
            {
                Trainer.RequestStop();
            }
        }
    }

    /// <summary>A PPO run on MinAtar Breakout (vector env, small network) whose actor, critic and envs all start from <c>seed</c>.</summary>
    private sealed class MinAtarRun : IDisposable
    {
        private readonly MinAtarVectorEnv _envs;

        public MinAtarRun(PpoOptions options, string arch, int history, ExecutionMode? execution, EpisodeBoundary boundary, uint seed)
        {
            _envs = new MinAtarVectorEnv("minatar/breakout", options.NumEnvs, AutoresetMode.SameStep, seed: seed);
            var architecture = ArchitectureCatalogue.Build(arch, new ArchitectureOptions
            {
                ObservationShape = [.. _envs.SingleObservationSpace.Shape],
                Actions = ((DiscreteSpace)_envs.SingleActionSpace).N,
                Width = 16,
                Cnn = CnnTorso.MinAtarSmall,
                HistoryLength = history,
                Execution = execution,
            });
            var actor = new PipelineActor(architecture, seed, boundary);
            var critic = new ValueNetwork(_envs.SingleObservationSpace.Shape, NetworkSize.Small, new SeededRandom(seed + 1));
            Parameters = [.. actor.Parameters, .. critic.Parameters];
            Trainer = new PpoTrainer(_envs, actor, critic, options, seed: 3) { Observer = Recorder };
        }

        public PpoTrainer Trainer { get; }

        public Recorder Recorder { get; } = new();

        public IReadOnlyList<Parameter> Parameters { get; }

        public void Dispose()
        {
            Trainer.Dispose();
            _envs.Dispose();
        }
    }
}
