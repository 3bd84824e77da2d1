using PipeRL.Tests;

namespace PipeRL.Cli.Tests.Commands;

public sealed class MinAtarCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("piperl-minatar-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [SkippableFact]
    public void MatchingTraceReportsAllRecordsBothWays()
    {
        var trace = SharedData.Require("minatar/golden/traces/breakout_lcg_seed0_sticky0.0.jsonl");
        var records = File.ReadLines(trace).Count() - 1;

        var (code, output, _) = Run("minatar", "verify", trace);

        Assert.Equal(PiperlApp.Success, code);
        Assert.Contains($"breakout_lcg_seed0_sticky0.0.jsonl [InjectedDraws]: all {records} records match", output, StringComparison.Ordinal);
        Assert.Contains($"breakout_lcg_seed0_sticky0.0.jsonl [Seeded]: all {records} records match", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void MismatchNamesFileRecordFieldExpectedAndActual()
    {
        var lines = File.ReadLines(SharedData.Require("minatar/golden/traces/freeway_lcg_seed0_sticky0.1.jsonl")).Take(30).ToArray();
        lines[6] = lines[6].Replace("\"r\":0", "\"r\":1", StringComparison.Ordinal);

        // The first 30 lines, declared as such (a trace's header gives its length).
        lines[0] = lines[0].Replace("\"max_acts\":1500", "\"max_acts\":28", StringComparison.Ordinal);
        var edited = Path.Combine(_folder, "edited.jsonl");
        File.WriteAllLines(edited, lines);

        var (code, output, _) = Run("minatar", "verify", "--mode", "seeded", edited);

        Assert.Equal(PiperlApp.Failure, code);
        Assert.Contains("edited.jsonl [Seeded]: record 5, line 7: r expected 1, actual 0", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void ATraceCutAtALineBoundaryIsAUsageErrorNotAPass()
    {
        var lines = File.ReadLines(SharedData.Require("minatar/golden/traces/freeway_lcg_seed0_sticky0.1.jsonl")).ToArray();
        var cut = Path.Combine(_folder, "cut.jsonl");
        File.WriteAllLines(cut, lines[..^1]);

        var (code, output, error) = Run("minatar", "verify", cut);
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Empty(output);
        Assert.Contains("cut.jsonl: 1499 acts, but the header declares max_acts 1500; the file is truncated.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileIsAUsageError()
    {
        var (code, _, error) = Run("minatar", "verify", Path.Combine(_folder, "absent.jsonl"));
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains("absent.jsonl' not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedFileIsAUsageErrorNamingTheLine()
    {
        var bad = Path.Combine(_folder, "bad.jsonl");
        File.WriteAllLines(bad, ["""{"type":"header","game":"breakout","seed":0,"sticky_action_prob":0.1,"difficulty_ramping":true,"channels":[],"minimal_action_set":[]}""", "{oops"]);

        var (code, _, error) = Run("minatar", "verify", bad);

        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains("bad.jsonl:2:", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void VerifyNeedsAtLeastOneTrace()
    {
        var (code, _, _) = Run("minatar", "verify");
        Assert.Equal(PiperlApp.UsageError, code);
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = PiperlApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
