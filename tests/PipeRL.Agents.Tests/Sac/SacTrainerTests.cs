using PipeRL.Agents.Networks;
using PipeRL.Agents.Replay;
using PipeRL.Agents.Sac;
using PipeRL.Agents.Tests.Support;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.MinAtar;
using PipeRL.Envs.Vector;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Tensors.IO;
using PipeRL.Tests;

namespace PipeRL.Agents.Tests.Sac;

public sealed class SacTrainerTests
{
    private static PipelineActor Actor(string arch, int observation, int actions, bool continuous) =>
        new(ArchitectureCatalogue.Build(arch, new ArchitectureOptions { ObservationShape = [observation], Actions = actions, ContinuousActions = continuous, Width = 16 }), 1);

    [Theory]
    [InlineData("instant", 0, 1)]
    [InlineData("pipelined", 0, 5)]
    [InlineData("temporal-skip-aug", 2, 7)]
    public void WindowsCoverTheActorsReceptiveWindowPlusWarmUp(string arch, int warmUp, int expected)
    {
        using var env = SyncVectorEnv.Create(1, _ => new PendulumEnv());
        var actor = Actor(arch, 3, 1, continuous: true);
        using var trainer = new SacTrainer(env, actor, SacOptions.MuJoCo with { BufferSize = 1_000, WarmUp = warmUp }, seed: 1);
        Assert.Equal(expected, trainer.WindowLength);
    }

    [Fact]
    public void EachTrainerRefusesTheOtherKindOfActionSpace()
    {
        using var pendulum = SyncVectorEnv.Create(1, _ => new PendulumEnv());
        using var context = SyncVectorEnv.Create(1, _ => new ContextEnv(1));
        var discrete = Assert.Throws<ArgumentException>(() => new DiscreteSacTrainer(pendulum, Actor("instant", 3, 1, continuous: true), SacOptions.MinAtar with { BufferSize = 1_000 }, 1));
        Assert.Contains("SacTrainer", discrete.Message, StringComparison.Ordinal);
        var continuous = Assert.Throws<ArgumentException>(() => new SacTrainer(context, Actor("instant", 3, 3, continuous: false), SacOptions.MuJoCo with { BufferSize = 1_000 }, 1));
        Assert.Contains("DiscreteSacTrainer", continuous.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SameSeedGivesTheSameTraining()
    {
        double[] Run()
        {
            using var env = SyncVectorEnv.Create(1, _ => new PendulumEnv());
            using var trainer = new SacTrainer(env, Actor("temporal-skip", 3, 1, continuous: true), SacOptions.MuJoCo with { BufferSize = 1_000, LearningStarts = 250, BatchSize = 16 }, seed: 4);
            trainer.Train(400);
            var s = trainer.Stats;
            return [s.QLoss, s.ActorLoss, s.Alpha, trainer.Q1.Parameters[0].Value.Span[0]];
        }

        Assert.Equal(Run(), Run());
    }

    private sealed class Recorder : ITrainingObserver
    {
        public List<(long Tick, UpdateStats Stats)> Updates { get; } = [];

        public void OnEpisode(long tick, double episodeReturn, long episodeTicks)
        {
        }

        public void OnUpdate(long tick, UpdateStats stats) => Updates.Add((tick, stats));
    }

    [Fact]
    public void EachReportIntervalReportsTheMeansOfItsUpdatesAsNamedScalars()
    {
        using var env = SyncVectorEnv.Create(1, _ => new PendulumEnv());
        var recorder = new Recorder();
        var options = SacOptions.MuJoCo with { BufferSize = 1_000, LearningStarts = 250, BatchSize = 16, ReportInterval = 100 };
        using var trainer = new SacTrainer(env, Actor("instant", 3, 1, continuous: true), options, seed: 2) { Observer = recorder };
        trainer.Train(450);
        Assert.Equal([100L, 200, 300, 400], recorder.Updates.Select(u => u.Tick));
        Assert.Equal(4, trainer.Updates);
        Assert.All(recorder.Updates, u => Assert.Equal(trainer.StatNames, u.Stats.Names));

        // Nothing is learned before tick 250: the losses are not measured, the temperature is its start value.
        Assert.True(double.IsNaN(recorder.Updates[1].Stats["q_loss"]));
        Assert.Equal(1.0, recorder.Updates[1].Stats["alpha"]);
        var last = recorder.Updates[3].Stats;
        Assert.All(trainer.StatNames, name => Assert.True(double.IsFinite(last[name]), name));
        Assert.True(last["alpha"] < 1.0);
    }

    /// <summary>A small SAC trainer on <paramref name="env"/>: pendulum (continuous), cartpole or breakout (MinAtar's, discrete, binary inputs).</summary>
    private static ITrainer Trainer(string env, int bufferSize, out IDisposable vectorEnv)
    {
        switch (env)
        {
            case "pendulum":
                var pendulum = SyncVectorEnv.Create(1, _ => new PendulumEnv());
                vectorEnv = pendulum;
                return new SacTrainer(pendulum, Actor("temporal-skip", 3, 1, continuous: true), SacOptions.MuJoCo with { BufferSize = bufferSize, LearningStarts = 250, BatchSize = 16, ReportInterval = 50 }, seed: 4);
            case "cartpole":
                var cartPole = SyncVectorEnv.Create(1, i => new CartPoleEnv((uint)i));
                vectorEnv = cartPole;
                return new DiscreteSacTrainer(cartPole, Actor("temporal-skip", 4, 2, continuous: false), Discrete(bufferSize), seed: 4);
            default:
                var breakout = SyncVectorEnv.Create(1, i => MinAtarGames.Create("minatar/breakout-minimal", seed: (uint)i));
                vectorEnv = breakout;
                return new DiscreteSacTrainer(breakout, Actor("temporal-skip-aug", 400, 3, continuous: false), Discrete(bufferSize), seed: 4);
        }

        static SacOptions Discrete(int bufferSize) => SacOptions.MinAtar with { BufferSize = bufferSize, LearningStarts = 250, BatchSize = 16, TargetNetworkFrequency = 20, ReportInterval = 50 };
    }

    [Theory]
    [InlineData("pendulum", 1_000)]
    [InlineData("cartpole", 1_000)]
    [InlineData("pendulum", 200)]
    [InlineData("cartpole", 200)]
    [InlineData("breakout", 200)]
    public void AFreshTrainerLoadingACheckpointContinuesExactlyAsTheTrainerThatWroteIt(string env, int bufferSize)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "sac.ckpt");
        var a = Trainer(env, bufferSize, out var envA);
        var b = Trainer(env, bufferSize, out var envB);
        using (envA)
        using (envB)
        using (a)
        using (b)
        {
            // MinAtar's boolean channels and the one-hot action history go into the replay as bytes, and out as the same floats.
            Assert.Equal(env == "breakout", Replay(a).BinaryInputs);
            var recorderA = new Recorder();
            var recorderB = new Recorder();
            (a.Observer, b.Observer) = (recorderA, recorderB);
            a.KeepStateBeside(path);
            b.KeepStateBeside(path);

            // Mid-interval and mid-episode: the acting state, the report's sums and the random source's pending Gaussian
            // all matter; a replay of 200 rows has wrapped by the second checkpoint and the third.
            foreach (var ticks in new[] { 150, 300, 421 })
            {
                a.Train(ticks);
                var checkpoint = new Checkpoint();
                a.SaveState(checkpoint);
                checkpoint.Save(path);
            }

            Assert.Equal(bufferSize < 421, Replay(a).RowsWritten > bufferSize);

            // A fresh trainer: untrained networks, an empty replay, an env never reset.
            Assert.Contains("replay, env, episode in progress", b.LoadState(Checkpoint.Load(path)), StringComparison.Ordinal);
            Assert.Equal((a.Ticks, a.Updates), (b.Ticks, b.Updates));
            AssertContinuesAlike(a, b, recorderA, recorderB);
        }
    }

    [Fact]
    public void ACheckpointOfAnEarlierPipeRLWithTheReplayInsideStillResumesExactly()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "sac.ckpt");
        var a = Trainer("pendulum", 300, out var envA);
        var b = Trainer("pendulum", 300, out var envB);
        using (envA)
        using (envB)
        using (a)
        using (b)
        {
            var recorderA = new Recorder();
            var recorderB = new Recorder();
            (a.Observer, b.Observer) = (recorderA, recorderB);
            a.KeepStateBeside(path);
            b.KeepStateBeside(path);
            a.Train(421);

            // The layout earlier versions wrote: the replay's arrays inside the checkpoint, no replay file.
            var checkpoint = new Checkpoint();
            a.SaveState(checkpoint);
            Assert.True(checkpoint.Remove("sac.replay_file"));
            Replay(a).Save(checkpoint, "sac.replay.");
            checkpoint.Save(path);
            File.Delete(Path.ChangeExtension(path, ".replay"));

            Assert.Contains("replay, env, episode in progress", b.LoadState(Checkpoint.Load(path)), StringComparison.Ordinal);
            AssertContinuesAlike(a, b, recorderA, recorderB);
        }
    }

    private static SequenceReplayBuffer Replay(ITrainer trainer) => trainer switch
    {
        SacTrainer sac => sac.Replay,
        DiscreteSacTrainer discrete => discrete.Replay,
        _ => throw new ArgumentException("not a SAC trainer", nameof(trainer)),
    };

    /// <summary>Trains both to tick 700 (the second saving checkpoints on the way, as a resumed run does) and checks the reports and the final networks are the same.</summary>
    private static void AssertContinuesAlike(ITrainer a, ITrainer b, Recorder recorderA, Recorder recorderB)
    {
        a.Train(700);
        b.Train(550);
        b.SaveState(new Checkpoint());
        b.Train(700);
        Assert.Equal([450L, 500, 550, 600, 650, 700], recorderB.Updates.Select(u => u.Tick));
        Assert.Equal(recorderA.Updates.Skip(8).Select(u => u.Stats.Values), recorderB.Updates.Select(u => u.Stats.Values));
        var (finalA, finalB) = (new Checkpoint(), new Checkpoint());
        a.AddParameters(finalA);
        b.AddParameters(finalB);
        Assert.Contains(finalA.Tensors.Keys, k => k.StartsWith(ITrainer.ActorPrefix, StringComparison.Ordinal));
        Assert.Contains(finalA.Tensors.Keys, k => k.StartsWith("qf2.", StringComparison.Ordinal));
        Assert.All(finalA.Tensors, t => Assert.Equal(t.Value.Span.ToArray(), finalB.Tensors[t.Key].Span.ToArray()));
    }
}
