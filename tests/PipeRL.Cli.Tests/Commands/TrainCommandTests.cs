using System.Globalization;
using PipeRL.Tests;
using static PipeRL.Cli.Tests.CliRunner;

namespace PipeRL.Cli.Tests.Commands;

public sealed class TrainCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Runs => Path.Combine(_temp.Path, "runs");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("--env", "atari/pong", "Unknown env 'atari/pong'")]
    [InlineData("--arch", "transformer", "Unknown architecture 'transformer'")]
    [InlineData("--num-minibatches", "5", "num-minibatches")]
    [InlineData("--tau", "0", "tau '0' is not a tick length")]
    [InlineData("--tau=-1", null, "tau '-1' is not a tick length")]
    [InlineData("--tau", "1/0", "tau '1/0' is not a tick length")]
    [InlineData("--tau", "abc", "tau 'abc' is not a tick length")]
    [InlineData("--tau", "2.5", "tau '2.5' is not a tick length")]
    [InlineData("--tau", "0.3", "use an integer k >= 1 (k env steps per tick) or 1/m")]
    [InlineData("--config", "/nonexistent/run.json", "does not exist")]
    [InlineData("--update-scheme", "fancy", "Valid values: minibatch, paper")]
    public void BadInputIsOneLineExitTwoAndWritesNothing(string option, string? value, string expected)
    {
        var (code, _, err) = value is null ? Run("train", "--runs-dir", Runs, option) : Run("train", "--runs-dir", Runs, option, value);
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(Runs));
    }

    [Fact]
    public void HelpDocumentsEveryPpoHyperparameter()
    {
        var (code, output, _) = Run("train", "--help");
        Assert.Equal(PiperlApp.Success, code);
        Assert.Contains("--clip-coef", output, StringComparison.Ordinal);
        Assert.Contains("Surrogate clip range", output, StringComparison.Ordinal);
        Assert.Contains("--update-scheme", output, StringComparison.Ordinal);
        Assert.Contains("ticks", output, StringComparison.Ordinal);
        Assert.Contains("--resume", output, StringComparison.Ordinal);
        Assert.Contains("--checkpoint-every", output, StringComparison.Ordinal);
        Assert.Contains("not bit-identical", output, StringComparison.Ordinal);
        Assert.Contains("1/m", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainWritesARunFolderThatEvalReads()
    {
        var (code, output, err) = Run(
            "train", "--runs-dir", Runs, "--env", "classic/cartpole", "--arch", "temporal-skip", "--steps", "1024",
            "--num-envs", "4", "--num-steps", "128", "--eval-episodes", "3", "--name", "cp");
        Assert.True(code == PiperlApp.Success, err);
        Assert.Contains("delay 1 tick", output, StringComparison.Ordinal);
        var run = Path.Combine(Runs, "cp");
        foreach (var file in new[] { "config.json", "metrics.csv", "final.params", "evaluation.json", "summary.md" })
        {
            Assert.True(File.Exists(Path.Combine(run, file)), file);
        }

        Assert.Contains("\"arch\": \"temporal-skip\"", File.ReadAllText(Path.Combine(run, "config.json")), StringComparison.Ordinal);
        Assert.Equal(2, File.ReadLines(Path.Combine(run, "metrics.csv")).Count(l => l.StartsWith("update,", StringComparison.Ordinal)));

        var (evalCode, evalOut, evalErr) = Run("eval", "cp", "--runs-dir", Runs, "--episodes", "2");
        Assert.True(evalCode == PiperlApp.Success, evalErr);
        Assert.Contains("greedy:  mean", evalOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1/2")]
    [InlineData("0.5")]
    public void FractionalTauTrainsWithTheObservationHeldAndCountsEnvSteps(string tau)
    {
        var (code, output, err) = Run(
            "train", "--runs-dir", Runs, "--env", "classic/cartpole", "--arch", "temporal-skip", "--tau", tau, "--steps", "1100",
            "--num-envs", "4", "--num-steps", "128", "--eval-episodes", "2", "--name", "half");
        Assert.True(code == PiperlApp.Success, err);
        Assert.Contains("tau 1/2, 1,024 ticks = 512 env steps", output, StringComparison.Ordinal);
        Assert.Contains("Delay: 1 tick = 0.5 env steps", output, StringComparison.Ordinal);
        var run = Path.Combine(Runs, "half");
        Assert.Contains("\"tau\": \"1/2\",", File.ReadAllText(Path.Combine(run, "config.json")), StringComparison.Ordinal);
        Assert.Contains("1,024 ticks = 512 env steps", File.ReadAllText(Path.Combine(run, "summary.md")), StringComparison.Ordinal);

        // Every env steps on the second of each two ticks, so env steps are exactly half the ticks (4 envs in step).
        var rows = File.ReadLines(Path.Combine(run, "metrics.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal([512L, 1024L], rows.Where(r => r[0] == "update").Select(r => long.Parse(r[1], CultureInfo.InvariantCulture)));
        Assert.All(rows, r => Assert.Equal(4 * (long.Parse(r[1], CultureInfo.InvariantCulture) / 4 / 2), long.Parse(r[2], CultureInfo.InvariantCulture)));

        // Each CartPole episode lasts a whole number of env steps, so an even number of ticks.
        Assert.All(rows.Where(r => r[0] == "episode"), r => Assert.Equal(0, long.Parse(r[5], CultureInfo.InvariantCulture) % 2));

        // The saved config reads back to the same tau and trains the same run again.
        var (again, _, againErr) = Run("train", "--runs-dir", Runs, "--config", Path.Combine(run, "config.json"), "--eval-episodes", "0", "--name", "again");
        Assert.True(again == PiperlApp.Success, againErr);
        Assert.Equal(File.ReadAllText(Path.Combine(run, "final.params")), File.ReadAllText(Path.Combine(Runs, "again", "final.params")));
    }

    [Fact]
    public void ResumeContinuesFromTheLastCheckpointAndDropsTheMetricsRowsWrittenAfterIt()
    {
        // 5 updates of 512 ticks with a checkpoint after update 3; removing the final files leaves the folder a run
        // killed after update 5 would leave: a checkpoint at 3 and metrics rows up to 5.
        var (code, _, err) = Run(
            "train", "--runs-dir", Runs, "--env", "classic/cartpole", "--arch", "temporal-skip", "--steps", "2560",
            "--num-envs", "4", "--num-steps", "128", "--eval-episodes", "1", "--checkpoint-every", "3", "--name", "r");
        Assert.True(code == PiperlApp.Success, err);
        var run = Path.Combine(Runs, "r");
        var metrics = Path.Combine(run, "metrics.csv");
        var original = File.ReadAllLines(metrics);
        foreach (var file in new[] { "final.params", "evaluation.json", "summary.md" })
        {
            File.Delete(Path.Combine(run, file));
        }

        var (resumed, output, resumeErr) = Run("train", "--resume", "r", "--runs-dir", Runs);
        Assert.True(resumed == PiperlApp.Success, resumeErr);
        Assert.Contains("Resumed at update 3/5 (tick 1,536)", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "final.params")));

        var lines = File.ReadAllLines(metrics);
        static string[] Updates(IEnumerable<string> rows) => [.. rows.Where(l => l.StartsWith("update,", StringComparison.Ordinal))];
        static long Tick(string row) => long.Parse(row.Split(',')[1], CultureInfo.InvariantCulture);

        // Every row up to the checkpoint is kept as it was, no row is duplicated, and ticks never go back.
        var kept = Array.IndexOf(original, Updates(original)[2]) + 1;
        Assert.Equal(original[..kept], lines[..kept]);
        Assert.Equal([512L, 1024, 1536, 2048, 2560], Updates(lines).Select(Tick));
        Assert.All(lines.Skip(2).Zip(lines.Skip(1)), p => Assert.True(Tick(p.First) >= Tick(p.Second), p.First));

        // The resumed updates sit at the same place in the learning-rate schedule as the uninterrupted ones.
        Assert.Equal(Updates(original).Select(r => r.Split(',')[6]), Updates(lines).Select(r => r.Split(',')[6]));
    }

    [Fact]
    public void ResumeRefusesOtherOptionsAndRunsWithNothingToResume()
    {
        var (code, _, err) = Run(
            "train", "--runs-dir", Runs, "--env", "classic/cartpole", "--steps", "512", "--num-envs", "4", "--num-steps", "128",
            "--eval-episodes", "0", "--name", "done");
        Assert.True(code == PiperlApp.Success, err);
        foreach (var (args, expected) in new (string[], string)[]
        {
            (["--resume", "done", "--env", "classic/pendulum", "--num-envs", "2"], "drop --env, --num-envs"),
            (["--resume", "done"], "has finished"),
            (["--resume", "nothing-here"], "No run 'nothing-here'"),
            (["--checkpoint-every", "-1"], "checkpoint-every must be"),
        })
        {
            var (badCode, _, badErr) = Run(["train", "--runs-dir", Runs, .. args]);
            Assert.Equal(PiperlApp.UsageError, badCode);
            Assert.Contains(expected, badErr, StringComparison.Ordinal);
            Assert.Single(badErr.TrimEnd().Split('\n'));
        }

        File.Delete(Path.Combine(Runs, "done", "final.params"));
        File.Delete(Path.Combine(Runs, "done", "checkpoint.ckpt"));
        var (noCheckpoint, _, noCheckpointErr) = Run("train", "--runs-dir", Runs, "--resume", Path.Combine(Runs, "done"));
        Assert.Equal(PiperlApp.UsageError, noCheckpoint);
        Assert.Contains("has no checkpoint", noCheckpointErr, StringComparison.Ordinal);

        var (evalCode, _, evalErr) = Run("eval", "done", "--runs-dir", Runs);
        Assert.Equal(PiperlApp.UsageError, evalCode);
        Assert.Contains("its training has not finished (an interrupted run continues with 'piperl train --resume", evalErr, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalOfAMissingRunIsAUsageError()
    {
        var (code, _, err) = Run("eval", "nope", "--runs-dir", Runs);
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains("No run 'nope'", err, StringComparison.Ordinal);
    }
}
