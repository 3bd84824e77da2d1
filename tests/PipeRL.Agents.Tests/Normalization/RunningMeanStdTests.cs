using PipeRL.Agents.Normalization;

namespace PipeRL.Agents.Tests.Normalization;

public sealed class RunningMeanStdTests
{
    [Fact]
    public void BatchesMergeIntoTheMeanAndVarianceOfEverySample()
    {
        // Two columns; samples (1, 10), (3, 10), (5, 40) in batches of 2 and 1. The 1e-4 prior count barely moves them.
        var stats = new RunningMeanStd(2);
        stats.Update([1f, 10f, 3f, 10f], 2);
        stats.Update([5f, 40f], 1);
        Assert.Equal(3.0, stats.Mean[0], 1e-3);
        Assert.Equal(20.0, stats.Mean[1], 1e-3);
        Assert.Equal(8.0 / 3.0, stats.Variance[0], 1e-3);
        Assert.Equal(200.0, stats.Variance[1], 0.02);
        Assert.Equal(3.0001, stats.Count, 6);
    }

    [Fact]
    public void NormalizeStandardisesAndClips()
    {
        var stats = new RunningMeanStd(1);
        stats.Update([2f, 4f, 6f, 8f], 4);
        var z = new float[3];
        stats.Normalize([5f, 7.236068f, 1000f], z, 10f);
        Assert.Equal(0f, z[0], 3);
        Assert.Equal(1f, z[1], 3);
        Assert.Equal(10f, z[2]);
    }

    [Fact]
    public void StateRoundTripsAndBadStateIsRejected()
    {
        var stats = new RunningMeanStd(2);
        stats.Update([1f, 2f, 3f, 5f], 2);
        var copy = new RunningMeanStd(2);
        copy.Restore(stats.ToArray());
        Assert.Equal(stats.ToArray(), copy.ToArray());
        Assert.Throws<InvalidDataException>(() => copy.Restore([1.0, 2.0]));
        Assert.Throws<InvalidDataException>(() => copy.Restore([0.0, 0, 0, 1, 1]));
    }
}
