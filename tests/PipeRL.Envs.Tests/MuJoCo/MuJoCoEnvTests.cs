using PipeRL.Envs.Tests.Core;
using PipeRL.Envs.MuJoCo;

namespace PipeRL.Envs.Tests.MuJoCo;

public sealed class MuJoCoEnvTests
{
    public static TheoryData<string> Ids => [.. MuJoCoEnvs.Ids];

    [SkippableTheory]
    [MemberData(nameof(Ids))]
    public void The_same_seed_and_actions_give_the_same_trajectory(string id)
    {
        MuJoCoAvailability.Require();
        using var a = MuJoCoEnvs.Create(id);
        using var b = MuJoCoEnvs.Create(id, seed: 99);

        var (first, firstRewards) = Rollout(a, seed: 5, steps: 200);
        var (second, secondRewards) = Rollout(b, seed: 5, steps: 200);
        var (other, _) = Rollout(b, seed: 6, steps: 1);

        Assert.Equal(first, second);
        Assert.Equal(firstRewards, secondRewards);
        Assert.NotEqual(first[0], other[0]);
    }

    [SkippableTheory]
    [MemberData(nameof(Ids))]
    public void An_env_built_with_seed_k_starts_as_a_reset_with_seed_k_and_then_continues_the_stream(string id)
    {
        MuJoCoAvailability.Require();
        using var built = MuJoCoEnvs.Create(id, seed: 3);
        using var reseeded = MuJoCoEnvs.Create(id, seed: 77);
        var a = new float[built.ObservationSpace.FlatSize];
        var b = new float[a.Length];

        built.Reset(a);
        reseeded.Reset(b, seed: 3);
        Assert.Equal(b, a);
        var first = built.Data.Qvel.ToArray();
        Assert.Equal(reseeded.Data.Qvel.ToArray(), first);

        // Gymnasium's reset() without a seed keeps drawing from the same generator.
        built.Reset(a);
        reseeded.Reset(b);
        Assert.Equal(b, a);
        Assert.NotEqual(first, built.Data.Qvel.ToArray());
    }

    [SkippableTheory]
    [MemberData(nameof(Ids))]
    public void Keeps_the_env_contract(string id)
    {
        MuJoCoAvailability.Require();
        using var env = MuJoCoEnvs.Create(id);

        Assert.Empty(EnvChecker.Check(env, seed: 3, steps: 300));
    }

    [SkippableTheory]
    [InlineData("mujoco/hopper", 11, 3)]
    [InlineData("mujoco/walker2d", 17, 6)]
    [InlineData("mujoco/halfcheetah", 17, 6)]
    [InlineData("mujoco/ant", 27, 8)]
    public void Spaces_are_v4s(string id, int observationSize, int actionSize)
    {
        MuJoCoAvailability.Require();
        using var env = MuJoCoEnvs.Create(id);

        Assert.Equal(id, env.Id);
        Assert.Equal([observationSize], env.ObservationSpace.Shape);
        Assert.True(float.IsNegativeInfinity(env.ObservationSpace.Low[0]) && float.IsPositiveInfinity(env.ObservationSpace.High[0]));
        var box = Assert.IsType<BoxSpace>(env.ActionSpace);
        Assert.Equal([actionSize], box.Shape);
        Assert.All(box.Low.ToArray(), v => Assert.Equal(-1f, v));
        Assert.All(box.High.ToArray(), v => Assert.Equal(1f, v));
    }

    [SkippableTheory]
    [InlineData("mujoco/hopper", 0.008)]
    [InlineData("mujoco/walker2d", 0.008)]
    [InlineData("mujoco/halfcheetah", 0.05)]
    [InlineData("mujoco/ant", 0.05)]
    public void Dt_is_timestep_times_frame_skip(string id, double dt)
    {
        MuJoCoAvailability.Require();
        using var env = MuJoCoEnvs.Create(id);
        env.Reset(new float[env.ObservationSpace.FlatSize], seed: 0);

        env.Step(new float[env.ActionSpace.FlatSize], new float[env.ObservationSpace.FlatSize]);

        Assert.Equal(dt, env.Dt, 15);
        Assert.Equal(dt, env.Data.Time, 12);
    }

    [SkippableFact]
    public void Bad_buffers_and_actions_are_refused_with_a_clear_message()
    {
        MuJoCoAvailability.Require();
        using var env = new HopperEnv();
        var observation = new float[11];

        Assert.Throws<InvalidOperationException>(() => env.Step([0f, 0f, 0f], observation));
        Assert.Throws<ArgumentException>(() => env.Reset(new float[10]));
        env.Reset(observation, seed: 0);
        var wrongSize = Assert.Throws<ArgumentException>(() => env.Step([0f, 0f], observation));
        Assert.Contains("3 actuator controls", wrongSize.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => env.Step([0f, float.NaN, 0f], observation));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Reset(observation, seed: -1));
    }

    [SkippableFact]
    public void Mujocos_own_reset_on_instability_is_reported_in_info()
    {
        MuJoCoAvailability.Require();
        using var env = new HopperEnv();
        var observation = new float[11];
        env.Reset(observation, seed: 0);
        env.Step([0f, 0f, 0f], observation);
        Assert.Equal(0, env.Info[MuJoCoEnv.UnstableResetKey]);

        env.SetState([0, 1.25, 0, 0, 0, 0], [0, 0, 0, 1e30, 0, 0]);
        env.Step([0f, 0f, 0f], observation);
        Assert.Equal(1, env.Info[MuJoCoEnv.UnstableResetKey]);

        env.Step([0f, 0f, 0f], observation);
        Assert.Equal(0, env.Info[MuJoCoEnv.UnstableResetKey]);
    }

    [SkippableFact]
    public void Reset_clears_the_info_of_the_last_episode()
    {
        MuJoCoAvailability.Require();
        using var env = new HalfCheetahEnv();
        var observation = new float[17];
        env.Reset(observation, seed: 0);
        env.Step(new float[6], observation);
        Assert.True(env.Info.TryGet("x_velocity", out _));

        env.Reset(observation);

        Assert.Empty(env.Info.Values);
        Assert.Equal(0, env.ElapsedSteps);
    }

    [Fact]
    public void Unknown_ids_list_the_known_ones()
    {
        var ex = Assert.Throws<ArgumentException>(() => MuJoCoEnvs.Create("mujoco/swimmer"));

        Assert.Contains("mujoco/swimmer", ex.Message, StringComparison.Ordinal);
        Assert.Contains("mujoco/halfcheetah", ex.Message, StringComparison.Ordinal);
        Assert.True(MuJoCoEnvs.IsRegistered("mujoco/ant"));
        Assert.False(MuJoCoEnvs.IsRegistered("mujoco/swimmer"));
    }

    private static (List<float[]> Observations, List<double> Rewards) Rollout(MuJoCoEnv env, int seed, int steps)
    {
        var random = new NumpyRandomState((uint)seed);
        var observation = new float[env.ObservationSpace.FlatSize];
        var action = new float[env.ActionSpace.FlatSize];
        var observations = new List<float[]>();
        var rewards = new List<double>();
        env.Reset(observation, seed);
        observations.Add((float[])observation.Clone());
        for (var t = 0; t < steps; t++)
        {
            for (var i = 0; i < action.Length; i++)
            {
                action[i] = (float)((random.NextDouble() * 2) - 1);
            }

            var result = env.Step(action, observation);
            observations.Add((float[])observation.Clone());
            rewards.Add(result.Reward);
            if (result.Done)
            {
                env.Reset(observation);
                observations.Add((float[])observation.Clone());
            }
        }

        return (observations, rewards);
    }

    [SkippableFact]
    public void ACopyThatReadsTheStateContinuesExactlyWithContactForces()
    {
        MuJoCoAvailability.Require();
        using var original = new AntEnv(seed: 3, useContactForces: true);
        using var copy = new AntEnv(seed: 30, useContactForces: true);
        original.Reset(new float[original.ObservationSpace.FlatSize]);
        copy.Reset(new float[copy.ObservationSpace.FlatSize]);
        StateContinuation.Run(original, 60, actionSeed: 1);
        StateContinuation.Run(copy, 7, actionSeed: 2);
        StateContinuation.AssertContinuesAlike(original, copy, 400);
    }
}
