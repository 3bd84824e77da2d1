using PipeRL.Bench.Harness;

namespace PipeRL.Bench.Tests.Harness;

public sealed class BenchRunnerTests
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 2.5)]
    [InlineData(0.9, 3.7)]
    [InlineData(1.0, 4.0)]
    public void QuantilesInterpolateBetweenSortedSamples(double q, double expected)
    {
        Assert.Equal(expected, BenchRunner.Quantile([1.0, 2.0, 3.0, 4.0], q), 12);
    }

    [Fact]
    public void QuantileOfNoSamplesIsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => BenchRunner.Quantile([], 0.5));
        Assert.Contains("no samples", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FewerThanOneRepetitionIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BenchRunner(0, TimeSpan.Zero, TimeSpan.Zero));
    }

    [Fact]
    public void InterleavedCasesTakeTheirRepetitionsInTurnEachAfterAnUntimedTenth()
    {
        // With no warm-up and no minimum repetition time, each repetition is one run (and a rounded-up tenth: one more).
        var calls = new List<int>();
        var runner = new BenchRunner(4, TimeSpan.Zero, TimeSpan.Zero);
        var results = runner.MeasureInterleaved([new BenchCase("a", () => calls.Add(0), 1e-3), new BenchCase("b", () => calls.Add(1))]);

        // Calibration: at least three warm-up runs of each case, a's first; then per repetition a, a, b, b.
        var measured = calls.Skip(6).ToArray();
        Assert.Equal([0, 0, 0, 1, 1, 1], calls.Take(6));
        Assert.Equal(Enumerable.Repeat(new[] { 0, 0, 1, 1 }, 4).SelectMany(x => x), measured);
        Assert.Equal(["a", "b"], results.Select(r => r.Name));
        Assert.All(results, r =>
        {
            Assert.Equal(4, r.Repetitions);
            Assert.Equal(1, r.OperationsPerRepetition);
            Assert.True(r.Min <= r.Median && r.Median <= r.P90 && r.P90 <= r.Max, $"{r.Min} {r.Median} {r.P90} {r.Max}");
        });
        Assert.Equal(1e-3, results[0].Target);
        Assert.Null(results[1].Target);
    }
}
