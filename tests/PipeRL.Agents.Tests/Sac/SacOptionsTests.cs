using PipeRL.Agents.Replay;
using PipeRL.Agents.Sac;

namespace PipeRL.Agents.Tests.Sac;

public sealed class SacOptionsTests
{
    [Fact]
    public void MuJoCoDefaultsAreTheAuthors()
    {
        var o = SacOptions.MuJoCo;
        Assert.Equal((10_000, 1_000_000, 256, 0.99f, 0.005f, 1), (o.LearningStarts, o.BufferSize, o.BatchSize, o.Gamma, o.TargetUpdateRate, o.TargetNetworkFrequency));
        Assert.Equal((2, 2, 3e-4f, 1e-3f, 1e-3f, 1f), (o.PolicyFrequency, o.PolicyIterations, o.PolicyLearningRate, o.QLearningRate, o.AlphaLearningRate, o.TargetEntropyScale));
        Assert.True(o.Autotune);
        Assert.Equal(TruncationHandling.Bootstrap, o.Truncation);
        o.Validate();
    }

    [Fact]
    public void MinAtarDefaultsAreTheWorkshopVersions()
    {
        var o = SacOptions.MinAtar;
        Assert.Equal((20_000, 64, 1f, 8_000, 4, 8, 1), (o.LearningStarts, o.BatchSize, o.TargetUpdateRate, o.TargetNetworkFrequency, o.UpdateFrequency, o.PolicyFrequency, o.PolicyIterations));
        Assert.Equal((3e-4f, 3e-4f, 1e-4f, 0.445f), (o.PolicyLearningRate, o.QLearningRate, o.AdamEpsilon, o.TargetEntropyScale));
        o.Validate();
        SacOptions.MinAtarSmall.Validate();
    }

    [Theory]
    [InlineData("policy-frequency")]
    [InlineData("target-update-rate")]
    [InlineData("buffer-size")]
    public void InvalidSettingsAreNamed(string option)
    {
        var bad = option switch
        {
            "policy-frequency" => SacOptions.MinAtar with { PolicyFrequency = 6 },
            "target-update-rate" => SacOptions.MuJoCo with { TargetUpdateRate = 0f },
            _ => SacOptions.MuJoCo with { BufferSize = 100 },
        };
        var error = Assert.Throws<ArgumentException>(bad.Validate);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }
}
