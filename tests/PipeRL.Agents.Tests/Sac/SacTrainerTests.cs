using PipeRL.Agents.Networks;
using PipeRL.Agents.Sac;
using PipeRL.Agents.Tests.Support;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.Vector;
using PipeRL.Pipeline.Catalogue;

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
}
