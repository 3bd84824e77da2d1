using PipeRL.Agents.Evaluation;
using PipeRL.Experiments.Studies;
using PipeRL.Experiments.Training;
using PipeRL.Pipeline.Analysis;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Studies;

public sealed class StudyReportTests
{
    private static StudyRun Run(string env, string arch, int seed, int delay, double sampled, double greedy, Tau? tau = null) =>
        new(new RunSummary(env, arch, tau ?? Tau.One, delay, 100_000, 100_000, 50, new EvaluationResult(false, [sampled - 1, sampled + 1], 0), new EvaluationResult(true, [greedy], 0)), seed, "unused");

    [Fact]
    public void ReturnsAreAveragedOverSeedsWithTheirSpreadAndNormalisedPerEnv()
    {
        var table = StudyReport.Table(
        [
            Run("minatar/breakout", "pipelined", 1, 3, 2, 4),
            Run("minatar/breakout", "pipelined", 2, 3, 4, 4),
            Run("minatar/breakout", "instant", 1, 0, 6, 8),
            Run("minatar/breakout", "instant", 2, 0, 10, 8),
            Run("minatar/freeway", "instant", 1, 0, 20, 20),
            Run("minatar/freeway", "temporal-skip-aug", 1, 2, 15, 30),
        ]);
        var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, rows.Length);

        // Seed means 6 and 10: mean 8, sample std sqrt(8) = 2.83; pipelined 2 and 4: mean 3, std 1.41, 3 / 8 = 0.38.
        Assert.Equal("| minatar/breakout | 1 | instant | 0 | 2 | 8.00 ± 2.83 | 6.00 .. 10.00 | 8.00 ± 0.00 | 1.00 | 1.00 | 2,000 |", rows[2]);
        Assert.Equal("| minatar/breakout | 1 | pipelined | 3 | 2 | 3.00 ± 1.41 | 2.00 .. 4.00 | 4.00 ± 0.00 | 0.38 | 0.50 | 2,000 |", rows[3]);

        // One seed has no spread; each env is normalised by its own instant runs.
        Assert.Equal("| minatar/freeway | 1 | instant | 0 | 1 | 20.00 | 20.00 .. 20.00 | 20.00 | 1.00 | 1.00 | 2,000 |", rows[4]);
        Assert.Equal("| minatar/freeway | 1 | temporal-skip-aug | 2 | 1 | 15.00 | 15.00 .. 15.00 | 30.00 | 0.75 | 1.50 | 2,000 |", rows[5]);
    }

    [Fact]
    public void EachTauIsNormalisedByItsOwnInstantAndVariantsKeepTheirLabels()
    {
        var table = StudyReport.Table(
        [
            Run("minatar/breakout", "instant", 1, 0, 10, 10),
            Run("minatar/breakout", "temporal-skip-aug", 1, 1, 5, 5),
            Run("minatar/breakout", "temporal-skip-aug", 1, 1, 8, 8) with { Label = "tsa-authors" },
            Run("minatar/breakout", "instant", 1, 0, 4, 4, Tau.Steps(2)),
            Run("minatar/breakout", "temporal-skip-aug", 1, 1, 3, 3, Tau.Steps(2)),
        ]);
        var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries)[2..];
        Assert.Equal(
            ["1|instant|1.00", "1|temporal-skip-aug|0.50", "1|tsa-authors|0.80", "2|instant|1.00", "2|temporal-skip-aug|0.75"],
            rows.Select(r => r.Split('|', StringSplitOptions.TrimEntries)).Select(c => $"{c[2]}|{c[3]}|{c[9]}"));
    }

    [Fact]
    public void WithoutAnInstantRunTheNormalisedColumnsSayNotAvailable()
    {
        var table = StudyReport.Table([Run("minatar/breakout", "pipelined", 1, 3, 2, 4)]);
        Assert.Contains("| n/a | n/a |", table, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyStudyIsRefused()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<UserInputException>(() => StudyReport.Write(dir.Path, [], 0));
        Assert.Contains("no finished run", ex.Message, StringComparison.Ordinal);
    }
}
