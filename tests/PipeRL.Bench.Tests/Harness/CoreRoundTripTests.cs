using PipeRL.Bench.Harness;

namespace PipeRL.Bench.Tests.Harness;

public sealed class CoreRoundTripTests
{
    [Fact]
    public void TheEchoAnswersWithinABatchBudget()
    {
        if (Environment.ProcessorCount < 2)
        {
            Assert.Null(CoreRoundTrip.Measure(roundTrips: 10, batches: 1));
            return;
        }

        // A batch whose echo never came back completes no round trip, and most such batches give null. The budget is
        // generous: beside the other test processes of a 2-core machine a round trip took 12 ms once.
        var seconds = CoreRoundTrip.Measure(roundTrips: 500, batches: 3, batchBudget: TimeSpan.FromMilliseconds(500));

        Assert.NotNull(seconds);
        Assert.InRange(seconds.Value, 1e-9, 0.5);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    public void ImpossibleCountsAreRefused(int roundTrips, int batches) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CoreRoundTrip.Measure(roundTrips, batches));
}
