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

    [Fact]
    public void ABugIsOneLineSayingSoWithExitOneAndBadInputExitTwo()
    {
        var (code, message) = PiperlApp.Describe(new AggregateException(new InvalidOperationException("Collection was modified")));
        Assert.Equal(PiperlApp.Failure, code);
        Assert.StartsWith("internal error (a bug in PipeRL", message, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException: Collection was modified", message, StringComparison.Ordinal);

        // An argument check inside PipeRL is a bug too, not bad input.
        Assert.Equal(PiperlApp.Failure, PiperlApp.Describe(new ArgumentNullException("x")).Code);
        Assert.Equal((PiperlApp.UsageError, "bad"), PiperlApp.Describe(new AggregateException(new Experiments.UserInputException("bad"))));
        Assert.Equal((PiperlApp.UsageError, "No space left on device"), PiperlApp.Describe(new IOException("No space left on device")));
    }
}
