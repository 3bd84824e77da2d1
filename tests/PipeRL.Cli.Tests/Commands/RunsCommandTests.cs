using PipeRL.Tests;
using static PipeRL.Cli.Tests.CliRunner;

namespace PipeRL.Cli.Tests.Commands;

public sealed class RunsCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Runs => Path.Combine(_temp.Path, "runs");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TrainingIndexesTheRunAndRunsListsFiltersAndCompares()
    {
        foreach (var arch in new[] { "instant", "temporal-skip" })
        {
            var (trained, _, trainErr) = Run("train", "--runs-dir", Runs, "--env", "classic/cartpole", "--arch", arch, "--steps", "1024", "--eval-episodes", "1");
            Assert.True(trained == PiperlApp.Success, trainErr);
        }

        Assert.True(File.Exists(Path.Combine(Runs, "piperl.db")));
        var (code, output, err) = Run("runs", "--runs-dir", Runs, "--filter", "arch=temporal*", "--filter", "status=finished");
        Assert.True(code == PiperlApp.Success, err);
        Assert.Contains("classic-cartpole_temporal-skip_tau1_seed1  finished  classic/cartpole  temporal-skip", output, StringComparison.Ordinal);
        Assert.DoesNotContain("_instant_", output, StringComparison.Ordinal);
        Assert.Contains("1 run(s) in ", output, StringComparison.Ordinal);

        (code, output, err) = Run("runs", "compare", "classic-cartpole_instant_tau1_seed1", "classic-cartpole_temporal-skip_tau1_seed1", "--runs-dir", Runs);
        Assert.True(code == PiperlApp.Success, err);
        Assert.Contains("* arch ", output, StringComparison.Ordinal);
        Assert.Contains("  env ", output, StringComparison.Ordinal);

        // The folders are the source of truth: a deleted registry is rebuilt from them.
        File.Delete(Path.Combine(Runs, "piperl.db"));
        (code, output, _) = Run("runs", "--runs-dir", Runs);
        Assert.Equal(PiperlApp.Success, code);
        Assert.Contains("Indexed 2 run folder(s)", output, StringComparison.Ordinal);
        Assert.Contains("2 run(s) in ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--filter", "colour=red", "unknown key 'colour'")]
    [InlineData("--filter", "arch", "KEY=VALUE")]
    public void BadInputIsOneLineExitTwo(string option, string value, string expected)
    {
        Directory.CreateDirectory(Runs);
        var (code, _, err) = Run("runs", "--runs-dir", Runs, option, value);
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    [Fact]
    public void ComparingAnUnknownRunIsOneLine()
    {
        Directory.CreateDirectory(Runs);
        var (code, _, err) = Run("runs", "compare", "nope", "other", "--runs-dir", Runs);
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains("No run 'nope'", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
    }
}
