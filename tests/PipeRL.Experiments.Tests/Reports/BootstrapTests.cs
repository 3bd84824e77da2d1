using PipeRL.Experiments.Reports;
using PipeRL.Tensors;

namespace PipeRL.Experiments.Tests.Reports;

public sealed class BootstrapTests
{
    [Theory]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 4.5)]        // 8 values: drop 2 each end, mean of 3..6
    [InlineData(new double[] { 10, 1, 100, 2, 3 }, 5.0)]              // 5 values: drop 1 each end, mean of 2, 3, 10
    [InlineData(new double[] { 7, 1, 4 }, 4.0)]                       // fewer than 4: nothing dropped
    public void IqmIsTheQuarterTrimmedMean(double[] values, double expected) =>
        Assert.Equal(expected, Bootstrap.Iqm(values), 12);

    [Fact]
    public void MeanIntervalBracketsTheMeanAndNarrowsWithMoreSeeds()
    {
        Assert.Equal(new Interval(3, 3, 3), Bootstrap.Mean([3, 3, 3], new SeededRandom(1)));

        // Two seeds: a quarter of the resamples are both 0, a quarter both 10, so the 2.5% and 97.5% points are 0 and 10.
        Assert.Equal(new Interval(5, 0, 10), Bootstrap.Mean([0, 10], new SeededRandom(1)));

        double[] forty = [.. Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? 0.0 : 10.0)];
        var many = Bootstrap.Mean(forty, new SeededRandom(1));
        Assert.True(many.Low > 2.5 && many.High < 7.5, $"{many}");
        Assert.Equal(many, Bootstrap.Mean(forty, new SeededRandom(1)));
    }

    [Fact]
    public void StratifiedIqmResamplesWithinEachTask()
    {
        // Every task's runs are equal, so every stratified resample is the same set: the interval is a point.
        Assert.Equal(new Interval(2.5, 2.5, 2.5), Bootstrap.StratifiedIqm([[1, 1], [2, 2], [3, 3], [4, 4]], new SeededRandom(3)));

        var spread = Bootstrap.StratifiedIqm([[0, 1], [2, 3]], new SeededRandom(3));
        Assert.Equal(1.5, spread.Estimate);
        Assert.True(spread.Low < 1.5 && spread.High > 1.5 && spread.Low >= 0.5 && spread.High <= 2.5, $"{spread}");
    }
}
