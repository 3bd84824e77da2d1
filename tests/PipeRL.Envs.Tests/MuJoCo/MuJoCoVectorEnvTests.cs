using PipeRL.Envs.Tests.Core;
using PipeRL.Envs.MuJoCo;

namespace PipeRL.Envs.Tests.MuJoCo;

public sealed class MuJoCoVectorEnvTests
{
    private const int Envs = 3;
    private const int Steps = 120;

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(2)]
    public void Sub_envs_follow_single_envs_seeded_seed_plus_i_with_next_step_autoreset(int threads)
    {
        MuJoCoAvailability.Require();
        using var vector = MuJoCoEnvs.CreateVector(HopperEnv.EnvId, Envs, threads, AutoresetMode.NextStep);
        var singles = Enumerable.Range(0, Envs).Select(_ => new HopperEnv()).ToArray();
        try
        {
            var observations = new float[Envs * 11];
            var actions = new float[Envs * 3];
            var (rewards, terminated, truncated) = (new double[Envs], new bool[Envs], new bool[Envs]);
            var single = new float[11];
            var pending = new bool[Envs];
            vector.Reset(observations, seed: 10);
            for (var i = 0; i < Envs; i++)
            {
                singles[i].Reset(single, seed: 10 + i);
                Assert.Equal(single, observations.AsSpan(i * 11, 11).ToArray());
            }

            var random = new NumpyRandomState(1);
            var endings = 0;
            for (var t = 0; t < Steps; t++)
            {
                for (var k = 0; k < actions.Length; k++)
                {
                    actions[k] = (float)((random.NextDouble() * 2) - 1);
                }

                vector.Step(actions, observations, rewards, terminated, truncated);
                for (var i = 0; i < Envs; i++)
                {
                    double reward = 0;
                    var (term, trunc) = (false, false);
                    if (pending[i])
                    {
                        singles[i].Reset(single);
                        pending[i] = false;
                    }
                    else
                    {
                        var result = singles[i].Step(actions.AsSpan(i * 3, 3), single);
                        (reward, term, trunc) = (result.Reward, result.Terminated, result.Truncated);
                        pending[i] = result.Done;
                        endings += result.Done ? 1 : 0;
                    }

                    Assert.Equal(single, observations.AsSpan(i * 11, 11).ToArray());
                    Assert.Equal((reward, term, trunc), (rewards[i], terminated[i], truncated[i]));
                    Assert.Equal(singles[i].Info.Values, vector.Info(i).Values);
                }
            }

            Assert.True(endings >= Envs, $"a random hopper falls within {Steps} steps; saw {endings} endings");
        }
        finally
        {
            foreach (var env in singles)
            {
                env.Dispose();
            }
        }
    }

    [SkippableFact]
    public void Same_step_autoreset_returns_the_reset_observation_and_keeps_the_final_one()
    {
        MuJoCoAvailability.Require();
        using var vector = MuJoCoEnvs.CreateVector(HopperEnv.EnvId, 2, threads: 2, AutoresetMode.SameStep);
        using var single = new HopperEnv();
        var observations = new float[22];
        var (rewards, terminated, truncated) = (new double[2], new bool[2], new bool[2]);
        var expected = new float[11];
        vector.Reset(observations, seed: 4);
        single.Reset(expected, seed: 4);
        float[] push = [1f, 1f, 1f];

        for (var t = 0; t < 1000; t++)
        {
            vector.Step([.. push, .. push], observations, rewards, terminated, truncated);
            var result = single.Step(push, expected);
            if (result.Done)
            {
                Assert.True(terminated[0]);
                Assert.Equal(expected, vector.FinalObservation(0).ToArray());
                single.Reset(expected);
                Assert.Equal(expected, observations.AsSpan(0, 11).ToArray());
                return;
            }

            Assert.Equal(expected, observations.AsSpan(0, 11).ToArray());
        }

        Assert.Fail("a hopper pushed with full torque should fall within 1000 steps");
    }

    [SkippableFact]
    public void Bad_calls_are_refused()
    {
        MuJoCoAvailability.Require();
        using var vector = MuJoCoEnvs.CreateVector(AntEnv.EnvId, 2, autoresetMode: AutoresetMode.NextStep);
        var observations = new float[54];
        var (rewards, terminated, truncated) = (new double[2], new bool[2], new bool[2]);

        Assert.Throws<InvalidOperationException>(() => vector.Step(new float[16], observations, rewards, terminated, truncated));
        vector.Reset(observations, seed: 0);
        var ex = Assert.Throws<ArgumentException>(() => vector.Step(new float[8], observations, rewards, terminated, truncated));
        Assert.Contains("16", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => vector.FinalObservation(0));
        Assert.Equal((2, 1), (vector.NumEnvs, vector.Threads));
        Assert.Equal(27, vector.SingleObservationSpace.FlatSize);
    }

    public static TheoryData<string> Tasks() => [.. MuJoCoEnvs.Ids];

    [SkippableTheory]
    [MemberData(nameof(Tasks))]
    public void ACopyThatReadsTheStateContinuesExactly(string id)
    {
        // Bit for bit through contacts, terminations and the 1000-step truncation, from a copy seeded and stepped otherwise.
        MuJoCoAvailability.Require();
        using var original = MuJoCoEnvs.CreateVector(id, 2, threads: 1, AutoresetMode.SameStep, seed: 3);
        using var copy = MuJoCoEnvs.CreateVector(id, 2, threads: 1, AutoresetMode.SameStep, seed: 30);
        var size = original.SingleObservationSpace.FlatSize;
        original.Reset(new float[2 * size]);
        copy.Reset(new float[2 * size]);
        StateContinuation.Run(original, 150, actionSeed: 1);
        StateContinuation.Run(copy, 20, actionSeed: 2);
        Assert.True(StateContinuation.AssertContinuesAlike(original, copy, 1000) > 0);
    }
}
