using PipeRL.Agents.Ppo;

namespace PipeRL.Agents.Tests.Ppo;

public sealed class AdvantageNormalizationTests
{
    [Fact]
    public void BatchUsesUnbiasedStandardDeviation()
    {
        float[] a = [1, 2, 3, 4];
        AdvantageNormalization.Batch(a);
        Assert.Equal(-1.161895f, a[0], 5);
        Assert.Equal(0.387298f, a[2], 5);
    }

    [Fact]
    public void PerStepNormalisesEachRowOverItsEnvs()
    {
        float[] a = [1, 3, 10, 20];
        AdvantageNormalization.PerStep(a, 2);
        Assert.Equal([-0.707107f, 0.707107f, -0.707107f, 0.707107f], a.Select(x => MathF.Round(x, 6)));
    }

    [Fact]
    public void ConstantAdvantagesBecomeZeroNotNaN()
    {
        float[] a = [2, 2, 2];
        AdvantageNormalization.Batch(a);
        Assert.Equal([0f, 0f, 0f], a);
    }
}
