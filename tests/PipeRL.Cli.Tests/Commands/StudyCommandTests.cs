using PipeRL.Tests;
using static PipeRL.Cli.Tests.CliRunner;

namespace PipeRL.Cli.Tests.Commands;

public sealed class StudyCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Runs => Path.Combine(_temp.Path, "runs");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("--seeds", "1,x", "'x' is not one")]
    [InlineData("--envs", "minatar/pong", "Unknown env 'minatar/pong'")]
    [InlineData("--archs", "instant,instant", "archs lists 'instant' twice")]
    [InlineData("--parallel", "0", "parallel must be at least 1")]
    [InlineData("--taus", "1,0", "--taus:")]
    [InlineData("--seeds", "-1", "seed must lie in [0, 1,000,000,000]")]
    public void BadInputIsOneLineExitTwoAndWritesNothing(string option, string value, string expected)
    {
        var (code, _, err) = Run("study", "--runs-dir", Runs, option, value);
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(Runs));
    }

    [Fact]
    public void StudyTrainsTheGridInProcessesResumesAndReportRereadsIt()
    {
        string[] args = ["study", "--runs-dir", Runs, "--envs", "classic/cartpole", "--archs", "instant,temporal-skip", "--taus", "1,2", "--seeds", "7", "--steps", "1024", "--eval-episodes", "2", "--parallel", "2"];
        var (code, output, err) = Run(args);
        Assert.True(code == PiperlApp.Success, err + output);
        Assert.Contains("| classic/cartpole | 2 | temporal-skip | 1 | 1 |", output, StringComparison.Ordinal);
        Assert.Contains("Study study: 4 trained now, 0 finished before", output, StringComparison.Ordinal);
        var folder = Path.Combine(Runs, "study");
        Assert.True(File.Exists(Path.Combine(folder, "study.md")));
        Assert.True(File.Exists(Path.Combine(folder, "classic-cartpole_instant_tau2_s7", "train.log")));

        // Rerunning the same study trains nothing again.
        (code, output, err) = Run(args);
        Assert.True(code == PiperlApp.Success, err + output);
        Assert.Contains("Study study: 0 trained now, 4 finished before", output, StringComparison.Ordinal);

        (code, output, err) = Run("study", "report", folder);
        Assert.True(code == PiperlApp.Success, err);
        Assert.Contains("| classic/cartpole | 1 | instant | 0 | 1 |", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AStudyFileExcludesTheGridOptions()
    {
        var file = Path.Combine(_temp.Path, "s.json");
        File.WriteAllText(file, "{ \"envs\": [\"classic/cartpole\"], \"archs\": [\"instant\"] }");
        var (code, _, err) = Run("study", "--runs-dir", Runs, "--file", file, "--seeds", "3");
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains("--file gives the whole study; drop --seeds", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    [Fact]
    public void SlurmWritesTheArrayAndTheRunFoldersAndTrainsNothing()
    {
        var (code, output, err) = Run("study", "--runs-dir", Runs, "--envs", "classic/cartpole", "--archs", "instant,pipelined", "--seeds", "1,2", "--steps", "1024", "--parallel", "3", "--slurm");
        Assert.True(code == PiperlApp.Success, err + output);
        var folder = Path.Combine(Runs, "study");
        var script = Path.Combine(folder, "slurm.sbatch");
        Assert.Contains($"Slurm array written: {Path.GetFullPath(script)}", output, StringComparison.Ordinal);
        Assert.Contains($"piperl study gather {Path.GetFullPath(folder)}", output, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --array=0-3%3", File.ReadAllText(script), StringComparison.Ordinal);
        var runs = Directory.GetDirectories(folder).Where(d => File.Exists(Path.Combine(d, "config.json"))).ToList();
        Assert.Equal(4, runs.Count);
        Assert.All(runs, r => Assert.False(File.Exists(Path.Combine(r, "metrics.csv"))));

        (code, output, err) = Run("study", "gather", folder);
        Assert.True(code == PiperlApp.Success, err + output);
        Assert.Contains("No run of", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportOfAMissingFolderIsOneLine()
    {
        var (code, _, err) = Run("study", "report", Path.Combine(_temp.Path, "nothing"));
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains("No study folder", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
    }
}
