using PipeRL.Experiments.Reports;
using PipeRL.Experiments.Studies;
using PipeRL.Experiments.Training;
using PipeRL.Pipeline.Analysis;
using PipeRL.Tensors;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Reports;

public sealed class StudyPageTests
{
    [Fact]
    public void WritesFiguresAndBothPagesFromTheFinishedRuns()
    {
        using var dir = new TempDirectory();
        (long, double)[] episodes = [(1000, 1), (2000, 2), (3000, 3), (4000, 4)];
        foreach (var tau in new[] { Tau.One, Tau.Steps(2) })
        {
            foreach (var seed in new[] { 1, 2 })
            {
                FakeRuns.Write(dir.Path, $"i{tau.EnvStepsPerTick}{seed}", "minatar/breakout", "instant", tau, seed, [10, 10], episodes);
                FakeRuns.Write(dir.Path, $"p{tau.EnvStepsPerTick}{seed}", "minatar/breakout", "pipelined", tau, seed, [5, 5], episodes, delayTicks: 3);
            }
        }

        var (md, html) = StudyPage.Write(dir.Path);
        var markdown = File.ReadAllText(md);
        foreach (var name in new[] { "normalised-vs-tau", "iqm", "curves_minatar-breakout_tau1", "curves_minatar-breakout_tau2" })
        {
            Assert.True(new FileInfo(Path.Combine(dir.Path, "figures", name + ".png")).Length > 1000, name);
            Assert.Contains($"(figures/{name}.png)", markdown, StringComparison.Ordinal);
        }

        // The numbers behind Figure 1b and the IQM, per actor and τ: pipelined scores 5 against instant's 10 everywhere.
        Assert.Contains("| actor | τ = 1: mean [95% CI] | τ = 2: mean [95% CI] |", markdown, StringComparison.Ordinal);
        Assert.Contains("| actor | τ = 1: IQM [95% CI] | τ = 2: IQM [95% CI] |", markdown, StringComparison.Ordinal);
        Assert.Equal(2, markdown.Split("| pipelined | 0.50 [0.50, 0.50] | 0.50 [0.50, 0.50] |").Length - 1);
        Assert.Equal(2, markdown.Split("| instant | 1.00 [1.00, 1.00] | 1.00 [1.00, 1.00] |").Length - 1);

        var page = File.ReadAllText(html);
        Assert.Equal(4, page.Split("<svg").Length - 1);
        Assert.Contains("<td>0.50 [0.50, 0.50]</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("src=", page, StringComparison.Ordinal);
        Assert.Contains("<td>pipelined</td>", page, StringComparison.Ordinal);
    }

    [Fact]
    public void NormalisesByTheSameEnvsAndTausInstant()
    {
        using var dir = new TempDirectory();
        FakeRuns.Write(dir.Path, "a", "minatar/breakout", "instant", Tau.One, 1, [8]);
        FakeRuns.Write(dir.Path, "b", "minatar/breakout", "pipelined", Tau.One, 1, [2]);
        FakeRuns.Write(dir.Path, "c", "minatar/breakout", "instant", Tau.Steps(2), 1, [4]);
        FakeRuns.Write(dir.Path, "d", "minatar/breakout", "pipelined", Tau.Steps(2), 1, [3]);
        FakeRuns.Write(dir.Path, "e", "minatar/freeway", "pipelined", Tau.One, 1, [3]);
        var (runs, _) = StudyRun.LoadAll(dir.Path);
        Assert.Equal(
            ["1 instant 1", "1 pipelined 0.25", "2 instant 1", "2 pipelined 0.75"],
            StudyPage.Normalised(runs).Select(n => $"{n.Tau} {n.Label} {n.Value}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EvaluationsDuringTrainingGetTheirOwnFigurePerEnvAndTau()
    {
        using var dir = new TempDirectory();
        (long, double)[] episodes = [(1000, 1), (2000, 2)];
        FakeRuns.Write(dir.Path, "i1", "minatar/breakout", "instant", Tau.One, 1, [10], episodes, evaluations: [(1024, 3, 4), (2048, 5, 6)]);
        FakeRuns.Write(dir.Path, "i2", "minatar/breakout", "instant", Tau.One, 2, [10], episodes, evaluations: [(1024, 5, 4)]);
        FakeRuns.Write(dir.Path, "p1", "minatar/breakout", "pipelined", Tau.One, 1, [5], episodes);

        var (md, html) = StudyPage.Write(dir.Path);
        Assert.True(new FileInfo(Path.Combine(dir.Path, "figures", "evaluations_minatar-breakout_tau1.png")).Length > 1000);
        Assert.Contains("(figures/evaluations_minatar-breakout_tau1.png)", File.ReadAllText(md), StringComparison.Ordinal);
        Assert.Contains("minatar/breakout,1,instant,1,2048,2048,,5,6", File.ReadAllLines(Path.Combine(dir.Path, "curves.csv")));
        Assert.Contains("minatar/breakout,1,pipelined,1,1000,1000,1,,", File.ReadAllLines(Path.Combine(dir.Path, "curves.csv")));
        Assert.Equal(4, File.ReadAllText(html).Split("<svg").Length - 1);
    }

    [Fact]
    public void AnEvaluationBandGoesAsFarAsEverySeedAndAveragesTheSampledReturns()
    {
        EvaluationPoint[] first = [new(10, 20, 1, 9), new(20, 40, 3, 9)];
        EvaluationPoint[] second = [new(10, 20, 5, 9)];
        var band = StudyPage.EvaluationBand([first, second], new SeededRandom(1));
        Assert.Equal([20.0], band.EnvSteps);
        Assert.Equal([3.0], band.Mean);
        Assert.InRange(band.Low[0], 1, 3);
        Assert.InRange(band.High[0], 3, 5);
        Assert.Equal(2, band.Seeds);
        Assert.Empty(StudyPage.EvaluationBand([first, []], new SeededRandom(1)).EnvSteps);
    }
}
