using PipeRL.Tests;
using static PipeRL.Cli.Tests.CliRunner;

namespace PipeRL.Cli.Tests.Commands;

public sealed class PlayCommandTests
{
    private const string Red = "\u001b[48;5;196m  \u001b[0m";
    private const string Yellow = "\u001b[48;5;226m  \u001b[0m";

    [Fact]
    public void RandomPlayMatchesTheStoredFrames()
    {
        var expected = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "tests", "PipeRL.Cli.Tests", "Commands", "Expected", "play-space_invaders-2-frames.txt"));
        var (code, output, _) = Run("play", "minatar/space_invaders", "--steps", "2", "--seed", "0");
        Assert.Equal(PiperlApp.Success, code);
        Assert.Equal(expected, output);
    }

    [Fact]
    public void FirstFrameShowsTheWaveAndTheCannonInTheirColours()
    {
        var (code, output, _) = Run("play", "minatar/space_invaders", "--steps", "1", "--policy", "random");
        Assert.Equal(PiperlApp.Success, code);
        var lines = output.Split('\n');
        Assert.StartsWith("minatar/space_invaders  frame 0", lines[0], StringComparison.Ordinal);

        // Grid row 0 (line 2): aliens in cols 2-7; row 9 (line 11): the cannon at col 5.
        Assert.Equal("|    " + string.Concat(Enumerable.Repeat(Red, 6)) + "    |", lines[2]);
        Assert.Equal("|          " + Yellow + "        |", lines[11]);
        Assert.Contains("frame 1", output, StringComparison.Ordinal);
        Assert.DoesNotContain("frame 2", output, StringComparison.Ordinal);
    }

    [Fact]
    public void EpisodesRestartAndAreSummarised()
    {
        var (code, output, _) = Run("play", "minatar/breakout-minimal", "--steps", "60", "--seed", "2");
        Assert.Equal(PiperlApp.Success, code);
        Assert.Contains("episode 1 ended: return", output, StringComparison.Ordinal);
        Assert.Contains("episode(s) finished, mean return", output, StringComparison.Ordinal);
        Assert.Equal(61, output.Split('\n').Count(l => l.StartsWith("minatar/breakout-minimal  frame ", StringComparison.Ordinal)));
    }

    [Fact]
    public void SameSeedGivesTheSameGame()
    {
        Assert.Equal(Run("play", "minatar/seaquest", "--steps", "50", "--seed", "4").Out, Run("play", "minatar/seaquest", "--steps", "50", "--seed", "4").Out);
        Assert.NotEqual(Run("play", "minatar/seaquest", "--steps", "50", "--seed", "4").Out, Run("play", "minatar/seaquest", "--steps", "50", "--seed", "5").Out);
    }

    [Theory]
    [InlineData("minatar/pong", "Unknown MinAtar env 'minatar/pong'")]
    [InlineData("minatar/breakout --policy human", "--policy human needs a terminal")]
    [InlineData("minatar/breakout --policy smart", "unknown --policy 'smart'")]
    [InlineData("minatar/breakout --steps 0", "--steps must be at least 1")]
    [InlineData("minatar/breakout --sticky 1.5", "--sticky must lie in [0, 1]")]
    public void BadInputIsAOneLineUsageError(string arguments, string message)
    {
        var (code, _, err) = Run(["play", .. arguments.Split(' ')]);
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains(message, err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
    }
}
