using PipeRL.Agents.Distributions;

namespace PipeRL.Agents.Tests.Distributions;

public sealed class DiagonalGaussianTests
{
    [Fact]
    public void StandardNormalLogProbAndEntropy()
    {
        Assert.Equal(-1.4189385f, DiagonalGaussian.LogProb([0f], [0f], [1f]), 5);
        Assert.Equal(1.4189385f, DiagonalGaussian.Entropy([0f]), 5);
        Assert.Equal(2f * (1.4189385f + 0.5f), DiagonalGaussian.Entropy([0.5f, 0.5f]), 5);
    }

    [Fact]
    public void BackwardMatchesHandComputedGradients()
    {
        var gm = new float[1];
        var gs = new float[1];
        DiagonalGaussian.Backward([1f], [MathF.Log(2f)], [0f], 1f, 0.5f, gm, gs);
        Assert.Equal(-0.25f, gm[0], 6);
        Assert.Equal(-0.75f + 0.5f, gs[0], 6);
    }

    [Fact]
    public void SampleShiftsAndScalesTheNoise()
    {
        var a = new float[2];
        DiagonalGaussian.Sample([1f, -1f], [0f, MathF.Log(3f)], [0.5f, 1f], a);
        Assert.Equal(1.5f, a[0], 6);
        Assert.Equal(2f, a[1], 5);
    }
}
