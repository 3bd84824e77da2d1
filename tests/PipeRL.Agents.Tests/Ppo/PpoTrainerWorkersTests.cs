using PipeRL.Agents.Networks;
using PipeRL.Agents.Ppo;
using PipeRL.Agents.Tests.Support;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.Vector;
using PipeRL.Tensors;

namespace PipeRL.Agents.Tests.Ppo;

public sealed class PpoTrainerWorkersTests
{
    [Fact]
    public void TwoThreadsTrainTheSameParametersAsOneWhicheverWayEachStepRuns()
    {
        // 16 envs x 64 steps: the critic's products have 1024 rows, enough to be split across the pool.
        var options = PpoOptions.Small with { NumEnvs = 16, NumSteps = 64, NumMinibatches = 2, Network = NetworkSize.Small };
        var one = Train(options, null, out _);
        using var pool = new WorkerPool(2);
        var two = Train(options, pool, out var use);
        Assert.Equal(one.Length, two.Length);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i], two[i]);
        }

        // Two updates of 4 epochs x 2 minibatches: the timing checks ran some steps on the pool.
        Assert.Equal(2 * options.UpdateEpochs * 2, use.Steps);
        Assert.InRange(use.PoolSteps, 1, use.Steps);
    }

    private static float[][] Train(PpoOptions options, WorkerPool? pool, out (long PoolSteps, long Steps) use)
    {
        using var envs = SyncVectorEnv.Create(options.NumEnvs, _ => new CartPoleEnv());
        var actor = new DelayedMlpActor(4, 2, 1, 7);
        var critic = new ValueNetwork([4], NetworkSize.Small, new SeededRandom(8));
        using var trainer = new PpoTrainer(envs, actor, critic, options, seed: 3) { Workers = pool };
        Assert.Same(pool, trainer.Workers);
        trainer.Train(2L * options.BatchSize);
        use = trainer.WorkerUse;
        return [.. actor.Parameters.Concat(critic.Parameters).Select(p => p.Value.Span.ToArray())];
    }
}
