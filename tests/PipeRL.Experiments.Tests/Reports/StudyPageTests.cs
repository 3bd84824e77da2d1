using PipeRL.Experiments.Reports;
using PipeRL.Experiments.Studies;
using PipeRL.Pipeline.Analysis;
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

        var page = File.ReadAllText(html);
        Assert.Equal(4, page.Split("<svg").Length - 1);
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
}
