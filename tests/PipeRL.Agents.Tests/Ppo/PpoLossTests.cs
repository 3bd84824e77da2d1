using PipeRL.Agents.Ppo;

namespace PipeRL.Agents.Tests.Ppo;

public sealed class PpoLossTests
{
    [Fact]
    public void SurrogateInsideClipRangeIsMinusAdvantageTimesRatio()
    {
        var loss = PpoLoss.ClippedSurrogate(MathF.Log(1.1f), 0f, 2f, 0.2f, out var grad, out var clipped);
        Assert.Equal(-2.2f, loss, 5);
        Assert.Equal(-2.2f, grad, 5);
        Assert.False(clipped);
    }

    [Fact]
    public void SurrogateClipsAPositiveAdvantageAboveTheRange()
    {
        var loss = PpoLoss.ClippedSurrogate(MathF.Log(1.5f), 0f, 2f, 0.2f, out var grad, out var clipped);
        Assert.Equal(-2.4f, loss, 5);
        Assert.Equal(0f, grad);
        Assert.True(clipped);
    }

    [Fact]
    public void SurrogateKeepsTheGradientOfANegativeAdvantageAboveTheRange()
    {
        // Pessimism: with A < 0 and r > 1 + eps the unclipped term is larger and keeps its gradient.
        var loss = PpoLoss.ClippedSurrogate(MathF.Log(1.5f), 0f, -2f, 0.2f, out var grad, out _);
        Assert.Equal(3f, loss, 5);
        Assert.Equal(3f, grad, 5);
    }

    [Fact]
    public void ClippedValueLossTakesTheLargerBranch()
    {
        Assert.Equal(1.125f, PpoLoss.ClippedValue(2f, 1f, 3f, 0.5f, out var g1), 6);
        Assert.Equal(0f, g1);
        Assert.Equal(0.5f, PpoLoss.ClippedValue(2f, 1.8f, 3f, 0.5f, out var g2), 6);
        Assert.Equal(-1f, g2, 6);
    }

    [Fact]
    public void PlainValueLossIsHalfSquaredError()
    {
        Assert.Equal(2f, PpoLoss.Value(1f, 3f, out var g), 6);
        Assert.Equal(-2f, g);
    }

    [Fact]
    public void ApproxKlIsZeroAtEqualPoliciesAndPositiveElsewhere()
    {
        Assert.Equal(0f, PpoLoss.ApproxKl(-1f, -1f));
        Assert.Equal(MathF.Exp(0.5f) - 1.5f, PpoLoss.ApproxKl(-0.5f, -1f), 6);
    }
}
