namespace PipeRL.Cli.Tests.Commands;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "piperl-cli-" + Guid.NewGuid().ToString("N"));

    private string Runs => Path.Combine(_dir, "runs");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = PiperlApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("--env", "atari/pong", "Unknown env 'atari/pong'")]
    [InlineData("--arch", "transformer", "Unknown architecture 'transformer'")]
    [InlineData("--num-minibatches", "5", "num-minibatches")]
    [InlineData("--tau", "0", "tau must be")]
    [InlineData("--config", "/nonexistent/run.json", "does not exist")]
    [InlineData("--update-scheme", "fancy", "Valid values: minibatch, paper")]
    public void BadInputIsOneLineExitTwoAndWritesNothing(string option, string value, string expected)
    {
        var (code, _, err) = Run("train", "--runs-dir", Runs, option, value);
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
    public void EvalOfAMissingRunIsAUsageError()
    {
        var (code, _, err) = Run("eval", "nope", "--runs-dir", Runs);
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains("No run 'nope'", err, StringComparison.Ordinal);
    }
}
