using PipeRL.Envs.MinAtar.Golden;

namespace PipeRL.Envs.Tests.MinAtar.Golden;

public sealed class GoldenTraceTests
{
    internal const string Header = """{"type":"header","format":"minatar-golden/1","game":"freeway","seed":3,"sticky_action_prob":0.1,"difficulty_ramping":false,"policy":"lcg","max_acts":1,"channels":["chicken","car"],"shape":[10,10,2],"minimal_action_set":[0,2,4],"hidden_fields":["move_timer"]}""";

    [Fact]
    public void ReadsHeaderRecordsAndExpandsVectorDraws()
    {
        var text = string.Join('\n',
            Header,
            """{"op":"reset","ep":0,"draws":[["g","randint",[1,6,3],[5,1,4]],["g","rand",[2],[0.25,0.75]]],"obs":"00ff","h":[3]}""",
            """{"op":"act","k":0,"ep":0,"a":4,"ae":2,"r":1,"term":true,"draws":[["s","rand",[],0.5],["g","randint",[2],1]],"obs":"8000","ramp":null,"h":[2]}""");
        var trace = GoldenTrace.Read(new StringReader(text), "t.jsonl");

        Assert.Equal("freeway", trace.Header.Game);
        Assert.Equal(3u, trace.Header.Seed);
        Assert.False(trace.Header.DifficultyRamping);
        Assert.Equal([0, 2, 4], trace.Header.MinimalActionSet);
        Assert.Equal(2, trace.Records.Count);
        var reset = trace.Records[0];
        Assert.True(reset.IsReset);
        Assert.Equal(2, reset.Line);
        Assert.Equal([0x00, 0xff], reset.Observation);
        Assert.Equal(
            [new('g', true, 1, 6, 5), new('g', true, 1, 6, 1), new('g', true, 1, 6, 4), new('g', false, 0, 0, 0.25), new GoldenDraw('g', false, 0, 0, 0.75)],
            reset.Draws);
        var act = trace.Records[1];
        Assert.Equal((4, 2, 1, true, (int?)null), (act.Action, act.EffectiveAction, act.Reward, act.Terminal, act.Ramp));
        Assert.Equal([new('s', false, 0, 0, 0.5), new GoldenDraw('g', true, 0, 2, 1)], act.Draws);
    }

    [Theory]
    [InlineData("not json", "t.jsonl:2:")]
    [InlineData("""{"op":"jump","draws":[],"obs":""}""", "unknown op 'jump'")]
    [InlineData("""{"op":"reset","draws":[["g","choice",[3],1]],"obs":""}""", "unknown draw choice")]
    [InlineData("""{"op":"act","k":0,"ep":0,"a":1,"ae":1,"r":0,"term":false,"draws":[],"obs":""}""", "first record after the header must be a reset")]
    [InlineData("""{"op":"act","k":0,"ep":0,"a":1,"draws":[],"obs":""}""", "t.jsonl:2: not a minatar-golden/1 line: missing field 'ae'")]
    public void MalformedTracesNameTheProblem(string line, string message)
    {
        var ex = Assert.Throws<InvalidDataException>(() => GoldenTrace.Read(new StringReader(Header + "\n" + line), "t.jsonl"));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATraceCutAtALineBoundaryOrWithoutADeclaredLengthIsRefused()
    {
        const string Reset = """{"op":"reset","ep":0,"draws":[],"obs":"00ff","h":[3]}""";
        const string Act = """{"op":"act","k":0,"ep":0,"a":4,"ae":2,"r":1,"term":false,"draws":[],"obs":"8000","h":[2]}""";
        var cut = Assert.Throws<InvalidDataException>(() => GoldenTrace.Read(new StringReader(Header + "\n" + Reset + "\n"), "t.jsonl"));
        Assert.Equal("t.jsonl: 0 acts, but the header declares max_acts 1; the file is truncated.", cut.Message);
        var longer = Assert.Throws<InvalidDataException>(() => GoldenTrace.Read(new StringReader(string.Join('\n', Header, Reset, Act, Act)), "t.jsonl"));
        Assert.Contains("2 acts, but the header declares max_acts 1; the file is longer than declared", longer.Message, StringComparison.Ordinal);
        var undeclared = Header.Replace("\"max_acts\":1,", string.Empty, StringComparison.Ordinal);
        var ex = Assert.Throws<InvalidDataException>(() => GoldenTrace.Read(new StringReader(string.Join('\n', undeclared, Reset, Act)), "t.jsonl"));
        Assert.Contains("declares no max_acts", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingHeaderOrFormatIsRefused()
    {
        Assert.Contains("empty file", Assert.Throws<InvalidDataException>(() => GoldenTrace.Read(new StringReader(string.Empty), "e")).Message, StringComparison.Ordinal);
        var other = Header.Replace("minatar-golden/1", "minatar-golden/9", StringComparison.Ordinal);
        Assert.Contains("not supported", Assert.Throws<InvalidDataException>(() => GoldenTrace.Read(new StringReader(other), "o")).Message, StringComparison.Ordinal);
    }
}
