using PipeRL.Envs.Tests.Core;
using PipeRL.Envs.MinAtar;

namespace PipeRL.Envs.Tests.MinAtar;

public sealed class MinAtarVectorEnvTests
{
    private const int Steps = 400;

    public static TheoryData<string, int> IdsAndThreads()
    {
        var data = new TheoryData<string, int>();
        foreach (var id in new[] { "minatar/asterix", "minatar/breakout-minimal", "minatar/freeway", "minatar/seaquest", "minatar/space_invaders" })
        {
            data.Add(id, 1);
            data.Add(id, 2);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IdsAndThreads))]
    public void SameStepEqualsSingleEnvsSteppedByHand(string id, int threads)
    {
        const int n = 5;
        using var vector = new MinAtarVectorEnv(id, n, AutoresetMode.SameStep, seed: 100, threads: threads);
        var singles = Enumerable.Range(0, n).Select(i => MinAtarGames.Create(id, seed: (uint)(100 + i))).ToArray();
        var size = vector.SingleObservationSpace.FlatSize;
        var batch = new float[n * size];
        var expected = new float[size];
        var (actions, rewards, terminated, truncated) = Buffers(n);
        vector.Reset(batch);
        for (var i = 0; i < n; i++)
        {
            singles[i].Reset(expected);
            Assert.True(expected.AsSpan().SequenceEqual(batch.AsSpan(i * size, size)));
        }

        var policy = new NumpyRandomState(7);
        var episodesEnded = 0;
        for (var step = 0; step < Steps; step++)
        {
            for (var i = 0; i < n; i++)
            {
                actions[i] = policy.NextInt(0, ((DiscreteSpace)vector.SingleActionSpace).N);
            }

            vector.Step(actions, batch, rewards, terminated, truncated);
            for (var i = 0; i < n; i++)
            {
                var result = singles[i].Step((int)actions[i], expected);
                Assert.Equal(result.Reward, rewards[i]);
                Assert.Equal(result.Terminated, terminated[i]);
                Assert.False(truncated[i]);
                if (result.Terminated)
                {
                    episodesEnded++;
                    Assert.True(expected.AsSpan().SequenceEqual(vector.FinalObservation(i)));
                    singles[i].Reset(expected);
                }

                Assert.True(expected.AsSpan().SequenceEqual(batch.AsSpan(i * size, size)), $"step {step}, sub-env {i}");
            }
        }

        // Freeway episodes last 2501 acts; the others end often within 400 random steps.
        Assert.True(id.Contains("freeway", StringComparison.Ordinal) || episodesEnded > 0);
    }

    [Fact]
    public void NextStepReturnsTheFinalObservationThenResetsIgnoringTheAction()
    {
        const int n = 3;
        const string id = "minatar/breakout";
        using var vector = new MinAtarVectorEnv(id, n, AutoresetMode.NextStep, seed: 5);
        var singles = Enumerable.Range(0, n).Select(i => MinAtarGames.Create(id, seed: (uint)(5 + i))).ToArray();
        var size = vector.SingleObservationSpace.FlatSize;
        var batch = new float[n * size];
        var expected = new float[size];
        var (actions, rewards, terminated, truncated) = Buffers(n);
        vector.Reset(batch);
        foreach (var single in singles)
        {
            single.Reset(expected);
        }

        var pendingReset = new bool[n];
        var resetSteps = 0;
        var policy = new NumpyRandomState(3);
        for (var step = 0; step < Steps; step++)
        {
            for (var i = 0; i < n; i++)
            {
                actions[i] = policy.NextInt(0, 6);
            }

            vector.Step(actions, batch, rewards, terminated, truncated);
            for (var i = 0; i < n; i++)
            {
                if (pendingReset[i])
                {
                    // The step after a terminal one only resets: no act, so no sticky draw and reward 0.
                    singles[i].Reset(expected);
                    pendingReset[i] = false;
                    resetSteps++;
                    Assert.Equal(0, rewards[i]);
                    Assert.False(terminated[i]);
                }
                else
                {
                    var result = singles[i].Step((int)actions[i], expected);
                    Assert.Equal(result.Reward, rewards[i]);
                    Assert.Equal(result.Terminated, terminated[i]);
                    pendingReset[i] = result.Terminated;
                }

                Assert.True(expected.AsSpan().SequenceEqual(batch.AsSpan(i * size, size)), $"step {step}, sub-env {i}");
            }
        }

        Assert.True(resetSteps > 10);
        Assert.Throws<InvalidOperationException>(() => vector.FinalObservation(0).Length);
    }

    [Fact]
    public void ResetWithSeedSeedsSubEnvIWithSeedPlusI()
    {
        const int n = 8;
        using var vector = new MinAtarVectorEnv("minatar/breakout", n, seed: 1);
        var size = vector.SingleObservationSpace.FlatSize;
        var batch = new float[n * size];
        var expected = new float[size];
        vector.Reset(batch, seed: 40);
        var distinctStarts = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            using var single = MinAtarGames.Create("minatar/breakout", seed: 999);
            single.Reset(expected, seed: 40 + i);
            Assert.True(expected.AsSpan().SequenceEqual(batch.AsSpan(i * size, size)));
            distinctStarts.Add(string.Join(",", expected));
        }

        // Breakout's reset draws the ball's side, so the sub-envs do not all start alike.
        Assert.Equal(2, distinctStarts.Count);
    }

    [Fact]
    public void BadInputGetsClearMessages()
    {
        using var vector = new MinAtarVectorEnv("minatar/space_invaders-minimal", 2);
        var size = vector.SingleObservationSpace.FlatSize;
        var batch = new float[2 * size];
        var (actions, rewards, terminated, truncated) = Buffers(2);
        vector.Reset(batch);

        var wrongLength = Assert.Throws<ArgumentException>(() => vector.Step(actions, new float[size], rewards, terminated, truncated));
        Assert.Contains("'observations' has 600 elements", wrongLength.Message, StringComparison.Ordinal);
        actions[1] = 4;
        var badAction = Assert.Throws<ArgumentOutOfRangeException>(() => vector.Step(actions, batch, rewards, terminated, truncated));
        Assert.Contains("integer in 0..3", badAction.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MinAtarVectorEnv("minatar/breakout", 0));
        Assert.Throws<ArgumentException>(() => new MinAtarVectorEnv("minatar/pong", 2));
    }

    [Fact]
    public void DeclaresItsSpacesAndMode()
    {
        using var vector = new MinAtarVectorEnv("minatar/seaquest", 3, AutoresetMode.NextStep, threads: 2);
        Assert.Equal(3, vector.NumEnvs);
        Assert.Equal(2, vector.Threads);
        Assert.Equal(AutoresetMode.NextStep, vector.AutoresetMode);
        Assert.Equal([10, 10, 10], vector.SingleObservationSpace.Shape);
        Assert.Equal(6, ((DiscreteSpace)vector.SingleActionSpace).N);
    }

    private static (float[] Actions, double[] Rewards, bool[] Terminated, bool[] Truncated) Buffers(int n) =>
        (new float[n], new double[n], new bool[n], new bool[n]);

    [Theory]
    [MemberData(nameof(IdsAndThreads))]
    public void ACopyThatReadsTheStateContinuesExactly(string id, int threads)
    {
        // The copy was seeded and stepped otherwise; every game, sticky action and random stream must come across.
        using var original = new MinAtarVectorEnv(id, 3, AutoresetMode.SameStep, seed: 3, threads: threads);
        using var copy = new MinAtarVectorEnv(id, 3, AutoresetMode.SameStep, seed: 50);
        original.Reset(new float[3 * original.SingleObservationSpace.FlatSize]);
        copy.Reset(new float[3 * copy.SingleObservationSpace.FlatSize]);
        StateContinuation.Run(original, 300, actionSeed: 1);
        StateContinuation.Run(copy, 37, actionSeed: 2);
        Assert.True(StateContinuation.AssertContinuesAlike(original, copy, 2600) > 0, "no episode ended, so resets were not compared");
    }

    [Fact]
    public void TheStateOfAnotherGameOrSizeIsRefused()
    {
        using var breakout = new MinAtarVectorEnv("minatar/breakout", 2);
        using var asterix = new MinAtarVectorEnv("minatar/asterix", 2);
        using var three = new MinAtarVectorEnv("minatar/breakout", 3);
        var state = StateContinuation.Save(breakout);
        Assert.Contains("'minatar/breakout'", Assert.Throws<InvalidDataException>(() => StateContinuation.Load(asterix, state)).Message, StringComparison.Ordinal);
        Assert.Contains("2 sub-envs", Assert.Throws<InvalidDataException>(() => StateContinuation.Load(three, state)).Message, StringComparison.Ordinal);
    }
}
