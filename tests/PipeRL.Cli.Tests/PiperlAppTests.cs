namespace PipeRL.Cli.Tests;

public sealed class PiperlAppTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = PiperlApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

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
