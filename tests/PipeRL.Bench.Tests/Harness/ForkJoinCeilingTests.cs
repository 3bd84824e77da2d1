using PipeRL.Bench.Harness;
using PipeRL.Tensors;

namespace PipeRL.Bench.Tests.Harness;

public sealed class ForkJoinCeilingTests
{
    [Fact]
    public void ARunTakesAtLeastOneSpin()
    {
        using var pool = new WorkerPool(2);

        var seconds = ForkJoinCeiling.Measure(pool, spinSeconds: 200e-6, batches: 3);

        // Both chunks spin 200 us from their own start, so no run is shorter; a generous upper bound for a busy machine
        // (a descheduled worker's chunk is taken over by the caller: two spins, plus waits).
        Assert.NotNull(seconds);
        Assert.InRange(seconds.Value, 200e-6, 0.1);
    }

    [Fact]
    public void APoolOfOneThreadHasNoForkToMeasure()
    {
        using var pool = new WorkerPool(1);

        Assert.Null(ForkJoinCeiling.Measure(pool, spinSeconds: 1e-6));
    }

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(1e-6, 0)]
    public void ImpossibleSettingsAreRefused(double spinSeconds, int batches)
    {
        using var pool = new WorkerPool(2);

        Assert.Throws<ArgumentOutOfRangeException>(() => ForkJoinCeiling.Measure(pool, spinSeconds, batches));
    }
}
