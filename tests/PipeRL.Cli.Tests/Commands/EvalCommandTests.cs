using System.Text.Json;
using PipeRL.Tests;
using static PipeRL.Cli.Tests.CliRunner;

namespace PipeRL.Cli.Tests.Commands;

public sealed class EvalCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Runs => Path.Combine(_temp.Path, "runs");

    private string RunPath => Path.Combine(Runs, "cp");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void EvalWritesItsResultBesideTheRunsOwnEvaluationAndLeavesThatUntouched()
    {
        Train();
        var own = File.ReadAllBytes(Path.Combine(RunPath, "evaluation.json"));

        var (code, output, err) = Run("eval", "cp", "--runs-dir", Runs, "--episodes", "3");
        Assert.True(code == 0, err);
        var written = Path.Combine(RunPath, "eval-3ep.json");
        Assert.Contains($"Wrote {written}", output, StringComparison.Ordinal);
        Assert.Equal(own, File.ReadAllBytes(Path.Combine(RunPath, "evaluation.json")));

        using var result = JsonDocument.Parse(File.ReadAllText(written));
        var root = result.RootElement;
        Assert.Equal("classic/cartpole", root.GetProperty("env").GetString());
        Assert.Equal(1, root.GetProperty("delayTicks").GetInt32());
        // The training figures are the run's own; the evaluations are this command's.
        using var ownResult = JsonDocument.Parse(own);
        Assert.Equal(ownResult.RootElement.GetProperty("ticks").GetInt64(), root.GetProperty("ticks").GetInt64());
        Assert.Equal(ownResult.RootElement.GetProperty("envSteps").GetInt64(), root.GetProperty("envSteps").GetInt64());
        foreach (var (name, greedy) in new[] { ("sampled", false), ("greedy", true) })
        {
            var e = root.GetProperty(name);
            Assert.Equal(greedy, e.GetProperty("greedy").GetBoolean());
            Assert.Equal(3, e.GetProperty("returns").GetArrayLength());
            Assert.Equal(0, e.GetProperty("truncated").GetInt32());
        }

        // The printed mean is the file's.
        var sampledMean = root.GetProperty("sampled").GetProperty("returns").EnumerateArray().Average(r => r.GetDouble());
        Assert.Contains(FormattableString.Invariant($"sampled: mean {sampledMean:0.00}"), output, StringComparison.Ordinal);
    }

    [Fact]
    public void OutChoosesTheFileAndAnUnwritableOneIsAUsageError()
    {
        Train();
        var file = Path.Combine(_temp.Path, "mine.json");
        var (code, output, err) = Run("eval", "cp", "--runs-dir", Runs, "--episodes", "2", "--out", file);
        Assert.True(code == 0, err);
        Assert.Contains($"Wrote {file}", output, StringComparison.Ordinal);
        Assert.Equal(2, JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("greedy").GetProperty("returns").GetArrayLength());
        Assert.False(File.Exists(Path.Combine(RunPath, "eval-2ep.json")));

        var (badCode, _, badErr) = Run("eval", "cp", "--runs-dir", Runs, "--episodes", "2", "--out", Path.Combine(_temp.Path, "no", "such", "folder.json"));
        Assert.Equal(PiperlApp.UsageError, badCode);
        Assert.Contains("Cannot write the evaluation to", badErr, StringComparison.Ordinal);
        Assert.Single(badErr.TrimEnd().Split('\n'));
    }

    private void Train()
    {
        var (code, _, err) = Run(
            "train", "--runs-dir", Runs, "--env", "classic/cartpole", "--arch", "temporal-skip", "--steps", "1024",
            "--num-envs", "4", "--num-steps", "128", "--eval-episodes", "2", "--name", "cp");
        Assert.True(code == 0, err);
    }
}
