using PipeRL.Agents.Ppo;

namespace PipeRL.Agents.Tests.Ppo;

public sealed class GaeTests
{
    private static float[] Run(bool[] terminated, bool[] truncated, float[] nextValues)
    {
        float[] rewards = [1, 2, 3];
        float[] values = [0.5f, 1.0f, 1.5f];
        var advantages = new float[3];
        Gae.Compute(rewards, values, nextValues, terminated, truncated, 1, 0.5f, 0.5f, advantages);
        return advantages;
    }

    [Fact]
    public void WithoutEpisodeEndsMatchesHandComputedRecursion()
    {
        // delta = [1.0, 1.75, 2.5]; A2 = 2.5, A1 = 1.75 + 0.25*2.5, A0 = 1 + 0.25*A1.
        var a = Run([false, false, false], [false, false, false], [1.0f, 1.5f, 2.0f]);
        Assert.Equal([1.59375f, 2.375f, 2.5f], a);
    }

    [Fact]
    public void TerminationBootstrapsNothingAndStopsTheTrace()
    {
        var a = Run([false, true, false], [false, false, false], [1.0f, 99f, 2.0f]);
        Assert.Equal([1.25f, 1.0f, 2.5f], a);
    }

    [Fact]
    public void TruncationBootstrapsFromTheFinalObservationValue()
    {
        // delta1 = 2 + 0.5*4 - 1 = 3 (bootstrapped), but A0 does not see A2.
        var a = Run([false, false, false], [false, true, false], [1.0f, 4f, 2.0f]);
        Assert.Equal([1.75f, 3.0f, 2.5f], a);
    }

    [Fact]
    public void EnvsInterleavedStepMajorAreIndependent()
    {
        float[] rewards = [1, 0, 2, 0, 3, 0];
        float[] values = [0.5f, 0, 1.0f, 0, 1.5f, 0];
        float[] next = [1.0f, 0, 1.5f, 0, 2.0f, 1f];
        var advantages = new float[6];
        Gae.Compute(rewards, values, next, new bool[6], new bool[6], 2, 0.5f, 0.5f, advantages);
        Assert.Equal([1.59375f, 2.375f, 2.5f], new[] { advantages[0], advantages[2], advantages[4] });
        Assert.Equal([0.03125f, 0.125f, 0.5f], new[] { advantages[1], advantages[3], advantages[5] });
    }

    [Fact]
    public void ReturnsAreAdvantagesPlusValues()
    {
        var returns = new float[2];
        Gae.Returns([1f, -2f], [0.5f, 3f], returns);
        Assert.Equal([1.5f, 1f], returns);
    }

    [Fact]
    public void MismatchedLengthsAreRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Gae.Compute(new float[4], new float[4], new float[4], new bool[4], new bool[4], 3, 0.9f, 0.9f, new float[4]));
        Assert.Contains("multiple", ex.Message, StringComparison.Ordinal);
    }
}
