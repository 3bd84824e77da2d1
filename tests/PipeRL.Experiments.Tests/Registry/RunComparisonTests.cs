using PipeRL.Experiments.Registry;
using PipeRL.Pipeline.Analysis;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Registry;

public sealed class RunComparisonTests
{
    [Fact]
    public void MarksTheKeysAndResultsThatDiffer()
    {
        using var dir = new TempDirectory();
        var a = RunRecord.Read(FakeRuns.Write(dir.Path, "a", "minatar/breakout", "instant", Tau.One, 1, [4, 6]), dir.Path);
        var b = RunRecord.Read(FakeRuns.Write(dir.Path, "b", "minatar/breakout", "pipelined", Tau.Steps(2), 1, [2]), dir.Path);
        var rows = RunComparison.Rows(a, b).ToDictionary(r => r.Key, r => (r.A, r.B));
        Assert.Equal(("instant", "pipelined"), rows["arch"]);
        Assert.Equal(("1", "2"), rows["tau"]);
        Assert.Equal(("5.00 ± 1.00", "2.00 ± 0.00"), rows["sampled return"]);
        Assert.Equal(("0.00025", "0.00025"), rows["ppo.learningRate"]);
        var lines = RunComparison.Format(a, b).Split('\n');
        Assert.Contains(lines, l => l.StartsWith("* arch ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("* tau ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  env ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  ppo.learningRate ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("* sampled return ", StringComparison.Ordinal) && l.Contains("5.00 ± 1.00", StringComparison.Ordinal) && l.EndsWith("2.00 ± 0.00", StringComparison.Ordinal));
    }
}
