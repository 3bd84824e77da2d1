using System.Text;
using PipeRL.Experiments.Training;
using PipeRL.Pipeline.Analysis;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Training;

public sealed class LearningCurvesTests
{
    [Fact]
    public void ReadsEpisodesAndEvaluationsFromTheMetricsHeader()
    {
        using var dir = new TempDirectory();
        var run = FakeRuns.Write(dir.Path, "r", "minatar/breakout", "instant", Tau.Steps(2), 1, null, [(100, 1.5), (300, 2.5)], evaluations: [(200, 7.25, 8)]);

        var curves = LearningCurves.Read(run.MetricsPath);

        Assert.Equal([(200L, 1.5), (600L, 2.5)], curves.Episodes);
        Assert.Equal([new EvaluationPoint(200, 400, 7.25, 8)], curves.Evaluations);
    }

    [Fact]
    public void ARunWithoutEvaluationColumnsHasNoEvaluations()
    {
        using var dir = new TempDirectory();
        var run = FakeRuns.Write(dir.Path, "r", "minatar/breakout", "instant", Tau.One, 1, null, [(100, 1)]);

        Assert.Empty(LearningCurves.Read(run.MetricsPath).Evaluations);
        var csv = new StringBuilder();
        LearningCurves.Append(csv, "x", run.MetricsPath);
        Assert.Equal("x,100,100,1,,\n", csv.ToString());
    }
}
