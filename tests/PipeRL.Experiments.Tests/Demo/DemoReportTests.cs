using PipeRL.Agents.Evaluation;
using PipeRL.Experiments.Demo;
using PipeRL.Experiments.Training;
using PipeRL.Pipeline.Analysis;

namespace PipeRL.Experiments.Tests.Demo;

public sealed class DemoReportTests
{
    private static RunSummary Summary(string arch, int delay, double sampled, double greedy) =>
        new("minatar/breakout", arch, Tau.One, delay, 100_000, 100_000, 50, new EvaluationResult(false, [sampled], 0), new EvaluationResult(true, [greedy], 0));

    [Fact]
    public void ReturnsAreNormalisedByInstant()
    {
        var table = DemoReport.Table([Summary("instant", 0, 8, 10), Summary("pipelined", 3, 2, 5), Summary("temporal-skip", 1, 6, 12)]);
        var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, rows.Length);
        Assert.StartsWith("| instant | 0 | 8.00 ± 0.00 | 10.00 ± 0.00 | 1.00 | 1.00 | 50s | 2,000 |", rows[2], StringComparison.Ordinal);
        Assert.StartsWith("| pipelined | 3 | 2.00 ± 0.00 | 5.00 ± 0.00 | 0.25 | 0.50 |", rows[3], StringComparison.Ordinal);
        Assert.StartsWith("| temporal-skip | 1 | 6.00 ± 0.00 | 12.00 ± 0.00 | 0.75 | 1.20 |", rows[4], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3.0, null, "n/a")]
    [InlineData(3.0, 0.0, "n/a")]
    [InlineData(3.0, 4.0, "0.75")]
    public void RatioNeedsAPositiveBaseline(double value, double? baseline, string expected) =>
        Assert.Equal(expected, DemoReport.Ratio(value, baseline));
}
