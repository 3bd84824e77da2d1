using PipeRL.Envs.Tests.Core;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.Wrappers;

namespace PipeRL.Envs.Tests.Wrappers;

public sealed class ObservationHistoryTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void VectorsStackTheLastKObservationsWithTheFirstRepeated(int k)
    {
        using var plain = new CartPoleEnv();
        using var wrapped = new ObservationHistory(new CartPoleEnv(), k);
        var p = new float[4];
        var w = new float[4 * k];
        plain.Reset(p, seed: 9);
        wrapped.Reset(w, seed: 9);
        var seen = new List<float[]> { (float[])p.Clone() };
        Assert.Equal([4 * k], wrapped.ObservationSpace.Shape);
        for (var t = 0; t < 6; t++)
        {
            Assert.Equal(plain.Step(t % 2, p), wrapped.Step(t % 2, w));
            seen.Add((float[])p.Clone());
            var expected = Enumerable.Range(seen.Count - k, k).SelectMany(i => seen[Math.Max(0, i)]).ToArray();
            Assert.Equal(expected, w);
        }
    }

    [Fact]
    public void ImagesStackAlongChannelsPixelByPixel()
    {
        using var wrapped = new ObservationHistory(new CountingImageEnv(), 2);
        var obs = new float[2 * 2 * 6];
        wrapped.Reset(obs);
        Assert.Equal([2, 2, 6], wrapped.ObservationSpace.Shape);
        wrapped.Step(0, obs);

        // Pixel p of frame f holds 100 f + 10 p + channel; slot 0 is the older frame.
        float[] firstPixel = [0, 1, 2, 100, 101, 102];
        float[] lastPixel = [30, 31, 32, 130, 131, 132];
        Assert.Equal(firstPixel, obs[..6]);
        Assert.Equal(lastPixel, obs[18..]);
    }

    private sealed class CountingImageEnv : IEnv
    {
        private int _frame;

        public string Id => "test/counting-image";

        public BoxSpace ObservationSpace { get; } = new([2, 2, 3], 0, 1000);

        public Space ActionSpace { get; } = new DiscreteSpace(2);

        public EnvInfo Info { get; } = new();

        public void Reset(Span<float> observation, int? seed = null)
        {
            _frame = 0;
            Fill(observation);
        }

        public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
        {
            _frame++;
            Fill(observation);
            return new StepResult(1, false, false);
        }

        public void Dispose()
        {
        }

        private void Fill(Span<float> observation)
        {
            for (var i = 0; i < observation.Length; i++)
            {
                observation[i] = (100 * _frame) + (10 * (i / 3)) + (i % 3);
            }
        }
    }

    [Fact]
    public void ACopyThatReadsTheStateContinuesExactly()
    {
        using var original = new ObservationHistory(new CartPoleEnv(4), 4);
        using var copy = new ObservationHistory(new CartPoleEnv(40), 4);
        original.Reset(new float[16]);
        copy.Reset(new float[16]);
        StateContinuation.Run(original, 6, actionSeed: 1);
        Assert.True(StateContinuation.AssertContinuesAlike(original, copy, 300) > 0);
    }
}
