using PipeRL.Envs.ClassicControl;
using PipeRL.Experiments.Training;
using PipeRL.Pipeline.Analysis;

namespace PipeRL.Experiments.Tests.Training;

public sealed class EnvStepCounterTests
{
    [Fact]
    public void AtTauThreeItCountsTheStepsTakenWhenEpisodesEndInsideARepeat()
    {
        // Pushing left always, CartPole's episodes end after a number of steps that τ = 1 envs of the same seeds show.
        const int numEnvs = 3;
        const int ticks = 60;
        using var envs = new EnvStepCounter(EnvFactory.CreateVector(CartPoleEnv.EnvId, numEnvs, 7, Tau.Parse("3")));
        var observations = new float[numEnvs * 4];
        envs.Reset(observations);
        for (var tick = 0; tick < ticks; tick++)
        {
            envs.Step(new float[numEnvs], observations, new double[numEnvs], new bool[numEnvs], new bool[numEnvs]);
        }

        long expected = 0;
        var ended = 0;
        for (var i = 0; i < numEnvs; i++)
        {
            using var raw = EnvFactory.Create(CartPoleEnv.EnvId, 7 + (uint)i, Tau.One);
            var observation = new float[4];
            raw.Reset(observation);
            for (var tick = 0; tick < ticks; tick++)
            {
                for (var k = 0; k < 3; k++)
                {
                    expected++;
                    if (raw.Step([0f], observation).Done)
                    {
                        ended++;
                        raw.Reset(observation);
                        break;
                    }
                }
            }
        }

        Assert.True(ended > 0);
        Assert.True(expected < 3L * numEnvs * ticks);
        Assert.Equal(expected, envs.EnvSteps);
    }
}
