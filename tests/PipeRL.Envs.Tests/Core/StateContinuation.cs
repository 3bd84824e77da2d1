namespace PipeRL.Envs.Tests.Core;

/// <summary>
/// Checks of <see cref="IStatefulEnv"/>: an env's state read into a copy that has lived another life (other seed, other
/// steps) makes the copy continue exactly as the original: same observations, rewards, ends and final observations.
/// </summary>
internal static class StateContinuation
{
    /// <summary>The bytes of <paramref name="env"/>'s state.</summary>
    public static byte[] Save(IStatefulEnv env)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            env.WriteState(writer);
        }

        return stream.ToArray();
    }

    /// <summary>Reads <paramref name="state"/> into <paramref name="env"/>, which must read all of it.</summary>
    public static void Load(IStatefulEnv env, byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        env.ReadState(reader);
        Assert.Equal(state.Length, reader.BaseStream.Position);
    }

    /// <summary>Steps <paramref name="env"/> <paramref name="steps"/> times with random actions drawn from <paramref name="actionSeed"/>.</summary>
    public static void Run(IVectorEnv env, int steps, uint actionSeed)
    {
        var n = env.NumEnvs;
        var (observations, actions) = (new float[n * env.SingleObservationSpace.FlatSize], new float[n * env.SingleActionSpace.FlatSize]);
        var (rewards, terminated, truncated) = (new double[n], new bool[n], new bool[n]);
        var random = new NumpyRandomState(actionSeed);
        for (var t = 0; t < steps; t++)
        {
            Draw(env.SingleActionSpace, random, actions);
            env.Step(actions, observations, rewards, terminated, truncated);
        }
    }

    /// <summary>
    /// Copies <paramref name="original"/>'s state into <paramref name="copy"/>, then steps both <paramref name="steps"/>
    /// times with the same random actions and asserts identical results bit for bit; returns the episodes that ended.
    /// </summary>
    public static int AssertContinuesAlike(IVectorEnv original, IVectorEnv copy, int steps)
    {
        Load((IStatefulEnv)copy, Save((IStatefulEnv)original));
        Assert.Equal(Save((IStatefulEnv)original), Save((IStatefulEnv)copy));
        var n = original.NumEnvs;
        var size = original.SingleObservationSpace.FlatSize;
        var actions = new float[n * original.SingleActionSpace.FlatSize];
        var a = (Observations: new float[n * size], Rewards: new double[n], Terminated: new bool[n], Truncated: new bool[n]);
        var b = (Observations: new float[n * size], Rewards: new double[n], Terminated: new bool[n], Truncated: new bool[n]);
        var random = new NumpyRandomState(12345);
        var ended = 0;
        for (var t = 0; t < steps; t++)
        {
            Draw(original.SingleActionSpace, random, actions);
            original.Step(actions, a.Observations, a.Rewards, a.Terminated, a.Truncated);
            copy.Step(actions, b.Observations, b.Rewards, b.Terminated, b.Truncated);
            Assert.True(a.Observations.AsSpan().SequenceEqual(b.Observations), $"step {t}: observations differ");
            Assert.Equal(a.Rewards, b.Rewards);
            Assert.Equal(a.Terminated, b.Terminated);
            Assert.Equal(a.Truncated, b.Truncated);
            for (var i = 0; i < n; i++)
            {
                if (a.Terminated[i] || a.Truncated[i])
                {
                    ended++;
                    if (original.AutoresetMode == AutoresetMode.SameStep)
                    {
                        Assert.True(original.FinalObservation(i).SequenceEqual(copy.FinalObservation(i)), $"step {t}: final observations of env {i} differ");
                    }
                }
            }
        }

        return ended;
    }

    /// <summary>Steps <paramref name="env"/> <paramref name="steps"/> times with random actions, resetting it when an episode ends.</summary>
    public static void Run(IEnv env, int steps, uint actionSeed)
    {
        var (observation, action) = (new float[env.ObservationSpace.FlatSize], new float[env.ActionSpace.FlatSize]);
        var random = new NumpyRandomState(actionSeed);
        for (var t = 0; t < steps; t++)
        {
            Draw(env.ActionSpace, random, action);
            if (env.Step(action, observation).Done)
            {
                env.Reset(observation);
            }
        }
    }

    /// <summary>The single-env form of <see cref="AssertContinuesAlike(IVectorEnv, IVectorEnv, int)"/>: both are reset (unseeded) when an episode ends.</summary>
    public static int AssertContinuesAlike(IEnv original, IEnv copy, int steps)
    {
        Load(copy.Stateful(), Save(original.Stateful()));
        Assert.Equal(Save(original.Stateful()), Save(copy.Stateful()));
        var (a, b) = (new float[original.ObservationSpace.FlatSize], new float[original.ObservationSpace.FlatSize]);
        var action = new float[original.ActionSpace.FlatSize];
        var random = new NumpyRandomState(12345);
        var ended = 0;
        for (var t = 0; t < steps; t++)
        {
            Draw(original.ActionSpace, random, action);
            var (ra, rb) = (original.Step(action, a), copy.Step(action, b));
            Assert.Equal(ra, rb);
            Assert.True(a.AsSpan().SequenceEqual(b), $"step {t}: observations differ");
            if (ra.Done)
            {
                ended++;
                original.Reset(a);
                copy.Reset(b);
                Assert.True(a.AsSpan().SequenceEqual(b), $"step {t}: reset observations differ");
            }
        }

        return ended;
    }

    private static void Draw(Space space, NumpyRandomState random, Span<float> actions)
    {
        if (space is DiscreteSpace discrete)
        {
            for (var i = 0; i < actions.Length; i++)
            {
                actions[i] = random.NextInt(0, discrete.N);
            }

            return;
        }

        var box = (BoxSpace)space;
        for (var i = 0; i < actions.Length; i++)
        {
            var j = i % box.FlatSize;
            actions[i] = (float)random.Uniform(box.Low[j], box.High[j]);
        }
    }
}
