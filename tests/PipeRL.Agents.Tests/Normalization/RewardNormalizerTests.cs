using PipeRL.Agents.Normalization;

namespace PipeRL.Agents.Tests.Normalization;

public sealed class RewardNormalizerTests
{
    [Fact]
    public void RewardsAreDividedByTheStdOfTheDiscountedReturn()
    {
        // One env, γ = 0.5: returns 2, then 2·0.5 + 4 = 5; their variance (with the 1e-4 prior at var 1) is ~2.25.
        var normalizer = new RewardNormalizer(1, 0.5f, 10f);
        var scaled = new float[1];
        normalizer.Normalize([2.0], [false], scaled);
        normalizer.Normalize([4.0], [false], scaled);
        Assert.Equal(2.25, normalizer.Statistics.Variance[0], 2e-3);
        Assert.Equal(4f / 1.5f, scaled[0], 1e-3f);
    }

    [Fact]
    public void TheReturnRestartsAtAnEpisodeEndAndRewardsAreClipped()
    {
        var normalizer = new RewardNormalizer(2, 1f, 1f);
        var scaled = new float[2];
        normalizer.Normalize([3.0, 3.0], [true, false], scaled);
        normalizer.Normalize([3.0, 3.0], [false, false], scaled);
        // Returns seen: 3, 3, then 3 (env 0 restarted) and 6: the mean is 3.75.
        Assert.Equal(3.75, normalizer.Statistics.Mean[0], 3);
        Assert.All(scaled, s => Assert.Equal(1f, s));
    }
}
