using PipeRL.Agents.Sac;

namespace PipeRL.Agents.Tests.Sac;

public sealed class TemperatureLossTests
{
    [Fact]
    public void ContinuousLossIsMinusAlphaTimesTheMeanEntropyGap()
    {
        // α = 2, mean(log π + H̄) = mean(-2, -4) = -3: loss = 6, positive, so log α falls (entropy 2 is above -1).
        Assert.Equal(6f, TemperatureLoss.Continuous(MathF.Log(2f), [-1f, -3f], -1f), 5);
        Assert.Equal(-0.5f, TemperatureLoss.Continuous(0f, [0.5f], 0f), 6);
    }

    [Fact]
    public void DiscreteLossIsTheExpectationOverThePolicy()
    {
        // π = [1/4, 3/4], H = 0.562335; Σ π (log π + ½) = ½ - H; loss = -(½ - H) = 0.062335 per row.
        float[] logits = [0f, MathF.Log(3f), 0f, MathF.Log(3f)];
        Assert.Equal(0.062335f, TemperatureLoss.Discrete(0f, logits, 2, 0.5f), 1e-5f);
    }

    [Fact]
    public void TargetEntropiesFollowTheAuthorsConventions()
    {
        Assert.Equal(-6f, TemperatureLoss.ContinuousTargetEntropy(6));
        Assert.Equal(0.445f * MathF.Log(6f), TemperatureLoss.DiscreteTargetEntropy(6, 0.89f * 0.5f), 6);
    }

    [Fact]
    public void EmptyOrMisshapenInputsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => TemperatureLoss.Continuous(0f, [], -1f));
        Assert.Throws<ArgumentException>(() => TemperatureLoss.Discrete(0f, new float[5], 2, 0.5f));
    }
}
