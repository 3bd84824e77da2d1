namespace PipeRL.Cli.Tests;

/// <summary>Runs piperl in-process with its standard output and error captured.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = PiperlApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
