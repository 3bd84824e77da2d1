using System.Diagnostics;

namespace PipeRL.Tensors.Tests.Threading;

public sealed class WorkerChoiceTests
{
    private long _now;

    /// <summary>Runs <paramref name="units"/> units on a clock that each advances by <paramref name="withPool"/> or <paramref name="alone"/> milliseconds; returns how many of the last <paramref name="last"/> used the pool.</summary>
    private int Drive(WorkerChoice choice, WorkerPool pool, int units, int last, double withPool, double alone)
    {
        var lateOnPool = 0;
        for (var u = 0; u < units; u++)
        {
            var workers = choice.Next(pool);
            _now += (long)((workers is null ? alone : withPool) * Stopwatch.Frequency / 1000);
            choice.Done();
            lateOnPool += u >= units - last && workers is not null ? 1 : 0;
        }

        return lateOnPool;
    }

    [Theory]
    [InlineData(1.0, 2.0, true)]
    [InlineData(2.0, 1.0, false)]
    [InlineData(1.0, 1.02, false)]
    public void UnitsRunTheWayTheTimingFindsFasterByMoreThanTheMargin(double withPool, double alone, bool usesPool)
    {
        using var pool = new WorkerPool(2);
        var choice = new WorkerChoice(() => _now);

        // One untimed unit wakes the workers, the pool runs a block of a tenth of a second, then (after one untimed unit) the
        // calling thread alone as many.
        var probe = 1 + (2 * (int)Math.Ceiling(100 / withPool)) + 1;
        var onPool = Drive(choice, pool, probe + 300, 300, withPool, alone);
        Assert.Equal(usesPool, choice.UsesPool);
        Assert.Equal(usesPool ? 300 : 0, onPool);
        Assert.Equal(probe + 300, choice.Units);
        Assert.InRange(choice.PoolUnits, 1, choice.Units - 1);
    }

    [Fact]
    public void WithoutAPoolOfTwoThreadsEveryUnitRunsAsGivenAndNothingIsCounted()
    {
        var choice = new WorkerChoice();
        Assert.Null(choice.Next(null));
        choice.Done();
        using var single = new WorkerPool(1);
        Assert.Same(single, choice.Next(single));
        choice.Done();
        Assert.Equal(0, choice.Units);
    }
}
