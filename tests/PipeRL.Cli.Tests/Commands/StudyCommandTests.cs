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
    [InlineData("--archs", "instant,instant", "architectures list 'instant' twice")]
    [InlineData("--seeds", "-1", "seed must lie in [0, 1,000,000,000]")]
    [InlineData("--parallel", "0", "--parallel must be at least 1")]
    public void BadInputIsOneLineExitTwoAndWritesNothing(string option, string value, string expected)
    {
        var (code, _, err) = Run("study", "--runs-dir", Runs, option, value);
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(Runs));
    }

    [Fact]
    public void StudyTrainsTheGridAndReportRereadsIt()
    {
        var (code, output, err) = Run(
            "study", "--runs-dir", Runs, "--envs", "classic/cartpole", "--archs", "instant,temporal-skip", "--seeds", "7",
            "--steps", "1024", "--eval-episodes", "2");
        Assert.True(code == PiperlApp.Success, err);
        Assert.Contains("| classic/cartpole | temporal-skip | 1 | 1 |", output, StringComparison.Ordinal);
        var folder = Path.Combine(Runs, "study");
        Assert.True(File.Exists(Path.Combine(folder, "study.md")));

        (code, output, err) = Run("study", "report", folder);
        Assert.True(code == PiperlApp.Success, err);
        Assert.Contains("| classic/cartpole | instant | 0 | 1 |", output, StringComparison.Ordinal);
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
