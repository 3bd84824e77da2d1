using PipeRL.Agents.Networks;
using PipeRL.Agents.Sac;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.Vector;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Tensors;

namespace PipeRL.Agents.Tests.Sac;

public sealed class SacTrainerWorkersTests
{
    [Fact]
    public void TwoThreadsTrainTheSameParametersAsOneWhicheverWayEachUpdateRuns()
    {
        var one = Train(null, out _);
        using var pool = new WorkerPool(2);
        var two = Train(pool, out var use);
        Assert.Equal(one.Length, two.Length);
        for (var i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i], two[i]);
        }

        // Every learning tick updates the critics, every second one the actor too: the probes ran some on the pool.
        Assert.Equal(300 + 150, use.Updates);
        Assert.InRange(use.PoolUpdates, 1, use.Updates);
    }

    private static float[][] Train(WorkerPool? pool, out (long PoolUpdates, long Updates) use)
    {
        using var env = SyncVectorEnv.Create(1, _ => new PendulumEnv());
        var actor = new PipelineActor(ArchitectureCatalogue.Build("temporal-skip-aug", new ArchitectureOptions { ObservationShape = [3], Actions = 1, ContinuousActions = true, Width = 64 }), 1);
        using var trainer = new SacTrainer(env, actor, SacOptions.MuJoCo with { BufferSize = 1_000, LearningStarts = 200, BatchSize = 64 }, seed: 5) { Workers = pool };
        Assert.Same(pool, trainer.Workers);
        trainer.Train(500);
        use = trainer.WorkerUse;
        return [.. actor.Parameters.Concat(trainer.Q1.Parameters).Select(p => p.Value.Span.ToArray())];
    }
}
