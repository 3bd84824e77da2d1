using System.Globalization;
using System.Text.Json;
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
    [InlineData("--seed=-1", null, "seed must lie in [0, 1,000,000,000]")]
    [InlineData("--seed", "2147483647", "seed must lie in [0, 1,000,000,000]")]
    [InlineData("--steps", "3000000000000", "steps must be at most 1,000,000,000,000 ticks")]

    [InlineData("--threads", "999", "threads must lie in [1, 256]")]
    [InlineData("--eval-episodes", "2147483647", "eval-episodes must lie in [0, 10,000]")]
    [InlineData("--learning-rate", "nan", "--learning-rate must be a finite number; got nan.")]
    [InlineData("--gamma", "-Infinity", "--gamma must be a finite number")]
    [InlineData("--tau", "99999999", "tau 99999999 is outside the supported range")]
    [InlineData("--num-steps", "1000000", "32 x 1000000 ticks is more than 16,777,216")]
    [InlineData("--algo", "dqn", "Unknown algorithm 'dqn'; valid: ppo, sac.")]
    [InlineData("--preset", "huge", "Unknown preset 'huge'; valid: small (ppo), paper (ppo), mujoco-ppo (ppo), mujoco-sac (sac)")]
    [InlineData("--name", "a/b", "must be a plain folder name")]
    public void BadInputIsOneLineExitTwoAndWritesNothing(string option, string? value, string expected)
    {
        var (code, _, err) = value is null ? Run("train", "--runs-dir", Runs, option) : Run("train", "--runs-dir", Runs, option, value);
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(Runs));
    }

    [Fact]
    public void ABudgetOfMoreUpdatesThanAnIntHoldsIsRefused()
    {
        var (code, _, err) = Run("train", "--runs-dir", Runs, "--steps", "999999999999", "--num-envs", "1", "--num-steps", "2", "--num-minibatches", "1");
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains("would take 499,999,999,999 updates of 2 ticks, more than 2,147,483,647", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Runs));
    }

    [Fact]
    public void AConfigWithANullOrAnOutOfRangeValueIsOneLineExitTwo()
    {
        Directory.CreateDirectory(_temp.Path);
        foreach (var (json, expected) in new[]
        {
            ("{\"env\": null}", "Config key 'env' is null; give it a value or leave it out"),
            ("{\"ppo\": null}", "Config key 'ppo' is null"),
            ("{\"ppo\": {\"learningRate\": 1e308}}", "Config key 'ppo.learningRate' must be a finite number"),
            ("{\"steps\": null}", "at 'steps'"),
        })
        {
            var file = Path.Combine(_temp.Path, "c.json");
            File.WriteAllText(file, json);
            var (code, _, err) = Run("train", "--runs-dir", Runs, "--config", file);
            Assert.Equal(PiperlApp.UsageError, code);
            Assert.Contains(expected, err, StringComparison.Ordinal);
            Assert.Single(err.TrimEnd().Split('\n'));
            Assert.False(Directory.Exists(Runs));
        }
    }

    [Fact]
    public void ALongNameAndARunsFolderThatCannotBeMadeAreOneLineExitTwo()
    {
        var (code, _, err) = Run("train", "--runs-dir", Runs, "--name", new string('a', 300));
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains("is 300 bytes long; at most 200 fit a folder name", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Runs));

        // A file where the folder of runs should be.
        Directory.CreateDirectory(_temp.Path);
        var file = Path.Combine(_temp.Path, "file");
        File.WriteAllText(file, "x");
        (code, _, err) = Run("train", "--runs-dir", file, "--env", "classic/cartpole", "--steps", "256", "--num-envs", "2", "--num-steps", "128", "--num-minibatches", "1");
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains($"Cannot create run folder 'classic-cartpole_instant_tau1_seed1' in {file}", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("--clip-coef", "0.2", "--algo", "sac", "--clip-coef is a ppo option, but this run trains sac; drop it.")]
    [InlineData("--num-envs", "4", "--preset", "mujoco-sac", "--num-envs is a ppo option, but this run trains sac; drop it.")]
    [InlineData("--batch-size", "64", "--algo", "ppo", "--batch-size is a sac option, but this run trains ppo; drop it.")]
    public void AnOptionOfAnotherAlgorithmIsOneLineExitTwo(string option, string value, string select, string algo, string expected)
    {
        var (code, _, err) = Run("train", "--runs-dir", Runs, select, algo, option, value);
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(Runs));
    }

    [Fact]
    public void TrainAlgoSacRoutesSharedOptionsToSacAndEvalReadsTheRun()
    {
        var (code, output, err) = Run(
            "train", "--runs-dir", Runs, "--algo", "sac", "--env", "classic/pendulum", "--steps", "300", "--learning-starts", "100",
            "--batch-size", "16", "--buffer-size", "1000", "--report-interval", "100", "--network", "small", "--gamma", "0.98",
            "--eval-episodes", "1", "--name", "sac");
        Assert.True(code == PiperlApp.Success, err);
        Assert.Contains("preset mujoco-sac", output, StringComparison.Ordinal);
        var config = File.ReadAllText(Path.Combine(Runs, "sac", "config.json"));
        Assert.Contains("\"gamma\": 0.98", config, StringComparison.Ordinal);
        Assert.Contains("\"historyWindow\": \"in-flight\"", config, StringComparison.Ordinal);
        Assert.Equal(3, File.ReadLines(Path.Combine(Runs, "sac", "metrics.csv")).Count(l => l.StartsWith("update,", StringComparison.Ordinal)));

        var (evalCode, evalOut, evalErr) = Run("eval", "sac", "--runs-dir", Runs, "--episodes", "1");
        Assert.True(evalCode == PiperlApp.Success, evalErr);
        Assert.Contains("greedy:  mean", evalOut, StringComparison.Ordinal);
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
        Assert.Contains("ends bit-identical to an uninterrupted one", output, StringComparison.Ordinal);
        Assert.Contains("1/m", output, StringComparison.Ordinal);
        Assert.Contains("(sac) Replayed windows per gradient step. [mujoco-sac preset: 256]", output, StringComparison.Ordinal);
        Assert.Contains("Discount factor per tick. [small preset: 0.99; mujoco-sac preset: 0.99]", output, StringComparison.Ordinal);
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

    [Fact]
    public void EvalEveryEvaluatesDuringTrainingAndKeepsTheBestActor()
    {
        var (code, output, err) = Run(
            "train", "--runs-dir", Runs, "--env", "classic/cartpole", "--steps", "1024", "--num-envs", "4", "--num-steps", "128",
            "--eval-episodes", "0", "--eval-every", "512", "--eval-every-episodes", "2", "--name", "ee");
        Assert.True(code == PiperlApp.Success, err);
        Assert.Contains("Evaluation at tick 512 over 2 episodes", output, StringComparison.Ordinal);
        Assert.Contains("Evaluation at tick 1,024 over 2 episodes", output, StringComparison.Ordinal);
        var run = Path.Combine(Runs, "ee");
        Assert.True(File.Exists(Path.Combine(run, "best.params")));
        Assert.Equal(2, File.ReadLines(Path.Combine(run, "metrics.csv")).Count(l => l.StartsWith("eval,", StringComparison.Ordinal)));
        var saved = File.ReadAllText(Path.Combine(run, "config.json"));
        Assert.Contains("\"evalEvery\": 512", saved, StringComparison.Ordinal);
        Assert.Contains("\"evalEveryEpisodes\": 2", saved, StringComparison.Ordinal);

        var (bad, _, badErr) = Run("train", "--runs-dir", Path.Combine(Runs, "bad"), "--eval-every-episodes", "0");
        Assert.Equal(PiperlApp.UsageError, bad);
        Assert.Contains("eval-every-episodes must lie in [1, 10,000]", badErr, StringComparison.Ordinal);
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
    public void ResumeAfterTheLastUpdateRunsTheFinalEvaluationAndDropsTheMetricsRowsWrittenAfterTheCheckpoint()
    {
        // 5 updates with a checkpoint after update 3 and one at the end of training, before the evaluation. Removing
        // the files written after it and adding a row leaves what a run killed during its final evaluation leaves.
        var (code, _, err) = Run(
            "train", "--runs-dir", Runs, "--env", "classic/cartpole", "--arch", "temporal-skip", "--steps", "2560",
            "--num-envs", "4", "--num-steps", "128", "--eval-episodes", "2", "--checkpoint-every", "3", "--name", "r");
        Assert.True(code == PiperlApp.Success, err);
        var run = Path.Combine(Runs, "r");
        var metrics = Path.Combine(run, "metrics.csv");
        var original = File.ReadAllLines(metrics);
        var parameters = File.ReadAllBytes(Path.Combine(run, "final.params"));
        var evaluation = File.ReadAllText(Path.Combine(run, "evaluation.json"));
        foreach (var file in new[] { "final.params", "evaluation.json", "summary.md" })
        {
            File.Delete(Path.Combine(run, file));
        }

        File.AppendAllText(metrics, "episode,2600,2600,9.9,12,12,,,,,,,,\n");
        var (resumed, output, resumeErr) = Run("train", "--resume", "r", "--runs-dir", Runs);
        Assert.True(resumed == PiperlApp.Success, resumeErr);
        Assert.Contains("Resumed after the last update (5/5, tick 2,560); running the final evaluation.", output, StringComparison.Ordinal);

        // The evaluation is the one the uninterrupted run made, and the parameters are those it trained.
        Assert.Equal(original, File.ReadAllLines(metrics));
        Assert.Equal(parameters, File.ReadAllBytes(Path.Combine(run, "final.params")));
        using var before = JsonDocument.Parse(evaluation);
        using var after = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json")));
        foreach (var key in new[] { "sampled", "greedy", "ticks" })
        {
            Assert.Equal(before.RootElement.GetProperty(key).GetRawText(), after.RootElement.GetProperty(key).GetRawText());
        }

        Assert.True(File.Exists(Path.Combine(run, "summary.md")));
    }

    [Fact]
    public void ResumeRefusesOtherOptionsAndFinishedRunsAndRestartsARunWithoutCheckpoint()
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
        var (evalCode, _, evalErr) = Run("eval", "done", "--runs-dir", Runs);
        Assert.Equal(PiperlApp.UsageError, evalCode);
        Assert.Contains("has not finished (no final.params); finish it with 'piperl train --resume", evalErr, StringComparison.Ordinal);

        // A run stopped before its first checkpoint is trained again from the start, in its folder.
        var (noCheckpoint, noCheckpointOut, noCheckpointErr) = Run("train", "--runs-dir", Runs, "--resume", Path.Combine(Runs, "done"));
        Assert.True(noCheckpoint == PiperlApp.Success, noCheckpointErr);
        Assert.Contains("has no checkpoint yet; training it from the start", noCheckpointOut, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Runs, "done", "final.params")));
    }

    [Fact]
    public void EvalOfAMissingRunIsAUsageError()
    {
        var (code, _, err) = Run("eval", "nope", "--runs-dir", Runs);
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains("No run 'nope'", err, StringComparison.Ordinal);
    }
}
