using PipeRL.Agents.Ppo;

namespace PipeRL.Agents.Tests.Ppo;

public sealed class ExplainedVarianceTests
{
    [Fact]
    public void PerfectPredictionExplainsEverything() => Assert.Equal(1.0, ExplainedVariance.Compute([1f, 2f, 3f], [1f, 2f, 3f]), 12);

    [Fact]
    public void PartialPredictionMatchesHandComputedValue() => Assert.Equal(2.0 / 3.0, ExplainedVariance.Compute([1f, 2f, 2f], [1f, 2f, 3f]), 6);

    [Fact]
    public void ConstantTargetsGiveNaN() => Assert.True(double.IsNaN(ExplainedVariance.Compute([0f, 1f], [2f, 2f])));
}
