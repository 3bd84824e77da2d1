using PipeRL.Pipeline.Analysis;

namespace PipeRL.Pipeline.Tests.Analysis;

public sealed class TauTests
{
    [Theory]
    [InlineData("1", 1, 1)]
    [InlineData("3", 3, 1)]
    [InlineData("1/2", 1, 2)]
    [InlineData("0.25", 1, 4)]
    public void ParsesIntegerAndFractionalTicks(string text, int stepsPerTick, int ticksPerStep)
    {
        var tau = Tau.Parse(text);

        Assert.Equal(stepsPerTick, tau.EnvStepsPerTick);
        Assert.Equal(ticksPerStep, tau.TicksPerEnvStep);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("0.3")]
    [InlineData("2/3")]
    [InlineData("fast")]
    public void RejectsValuesThatAreNotATickLength(string text)
    {
        var ex = Assert.Throws<FormatException>(() => Tau.Parse(text));
        Assert.Contains("1/m", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConvertsTicksToEnvSteps()
    {
        Assert.Equal(6, Tau.Steps(2).EnvSteps(3));
        Assert.Equal(6, Tau.Steps(2).ActionDelayInEnvSteps(3));
        Assert.Equal(1.5, Tau.Fraction(2).EnvSteps(3));
        // With 2 ticks per env step an observation held for ticks 2s, 2s+1 reaches the action of tick 2s'+1 first at s' = s + 1.
        Assert.Equal(1, Tau.Fraction(2).ActionDelayInEnvSteps(3));
        Assert.Equal(0, Tau.Fraction(2).ActionDelayInEnvSteps(1));
        Assert.Equal("1/3", Tau.Fraction(3).ToString());
    }

    [Theory]
    [InlineData("1", 1, "1 tick = 1 env step")]
    [InlineData("3", 2, "2 ticks = 6 env steps")]
    [InlineData("1/4", 2, "2 ticks = 0.5 env steps")]
    [InlineData("1/3", 1, "1 tick = 0.333 env steps")]
    [InlineData("1/2", 0, "0 ticks = 0 env steps")]
    public void DescribesADelayInBothUnits(string tau, int ticks, string expected) =>
        Assert.Equal(expected, Tau.Parse(tau).DescribeTicks(ticks));
}
