namespace PipeRL.Cli.Tests;

public sealed class UsageExceptionTests
{
    [Fact]
    public void FromArgumentExceptionDropsTheParameterSuffix()
    {
        var cause = new ArgumentException("Unknown architecture 'x'; valid: a, b.", "name");
        Assert.Equal("Unknown architecture 'x'; valid: a, b.", UsageException.From(cause).Message);
    }

    [Fact]
    public void FromPrefixesTheMessage()
    {
        var cause = new InvalidDataException("line 3 is not JSON");
        Assert.Equal("graph.json: line 3 is not JSON", UsageException.From(cause, "graph.json").Message);
    }

    [Fact]
    public void UnknownArchitectureErrorNamesNoParameter()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = PiperlApp.Run(["inspect", "bogus", "--obs-shape", "4", "--actions", "2"], output, error);
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains("Unknown architecture 'bogus'", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error.ToString(), StringComparison.Ordinal);
    }
}
