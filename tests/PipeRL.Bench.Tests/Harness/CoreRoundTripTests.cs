using PipeRL.Bench.Harness;

namespace PipeRL.Bench.Tests.Harness;

public sealed class CoreRoundTripTests
{
    [Fact]
    public void ARoundTripTakesLessThanABatchBudget()
    {
        if (Environment.ProcessorCount < 2)
        {
            Assert.Null(CoreRoundTrip.Measure(roundTrips: 10, batches: 1));
            return;
        }

        // A batch whose echo never came back would last its whole budget (one round trip of 50 ms).
        var seconds = CoreRoundTrip.Measure(roundTrips: 500, batches: 3, batchBudget: TimeSpan.FromMilliseconds(50));

        Assert.NotNull(seconds);
        Assert.InRange(seconds.Value, 1e-9, 0.01);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    public void ImpossibleCountsAreRefused(int roundTrips, int batches) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CoreRoundTrip.Measure(roundTrips, batches));
}
