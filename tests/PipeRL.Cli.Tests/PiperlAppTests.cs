using static PipeRL.Cli.Tests.CliRunner;

namespace PipeRL.Cli.Tests;

public sealed class PiperlAppTests
{
    [Fact]
    public void UnknownCommandIsOneLineUsageError()
    {
        var (code, _, err) = Run("frobnicate");
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains("frobnicate", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    [Fact]
    public void VersionPrintsAssemblyVersion()
    {
        var (code, output, _) = Run("--version");
        Assert.Equal(PiperlApp.Success, code);
        Assert.StartsWith("0.1.0", output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void HelpListsBench()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(PiperlApp.Success, code);
        Assert.Contains("bench", output, StringComparison.Ordinal);
    }
}
