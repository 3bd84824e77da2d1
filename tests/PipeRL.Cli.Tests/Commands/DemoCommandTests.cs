using PipeRL.Tests;
using static PipeRL.Cli.Tests.CliRunner;

namespace PipeRL.Cli.Tests.Commands;

public sealed class DemoCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Runs => Path.Combine(_temp.Path, "runs");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TheDemoIsAStudyOfTheFourActorsWithItsReport()
    {
        var (code, output, err) = Run("demo", "--runs-dir", Runs, "--steps", "1024", "--eval-episodes", "1", "--parallel", "2");
        Assert.True(code == PiperlApp.Success, err + output);
        foreach (var arch in new[] { "instant", "sequential", "pipelined", "temporal-skip-aug" })
        {
            Assert.Contains($"| minatar/space_invaders | 1 | {arch} |", output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(Runs, "demo", $"minatar-space_invaders_{arch}_tau1_s1", "evaluation.json")));
        }

        Assert.Contains("Study demo: 4 trained now", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Runs, "demo", "study.md")));
        Assert.True(File.Exists(Path.Combine(Runs, "demo", "report.html")));
        Assert.Contains("Report with the learning curves:", output, StringComparison.Ordinal);
    }
}
