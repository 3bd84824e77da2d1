using PipeRL.Experiments.Studies;
using PipeRL.Pipeline.Analysis;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Studies;

public sealed class StudySpecTests
{
    [Fact]
    public void ReadsAStudyFileWithActorVariants()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "sweep.json");
        File.WriteAllText(path, """
            { "envs": ["minatar/breakout"], "taus": [1, "2", "1/4", 0.5], "seeds": [7], "steps": 4096, "parallel": 3,
              "archs": ["instant", { "name": "tsa-authors", "arch": "temporal-skip-aug", "overrides": { "ppo": { "numEnvs": 8 } } }],
              "overrides": { "evalEpisodes": 3 }, "algo": "sac" }
            """);
        var spec = StudySpec.Load(path);
        Assert.Equal("sweep", spec.Name);
        Assert.Equal([Tau.One, Tau.Steps(2), Tau.Fraction(4), Tau.Fraction(2)], spec.Taus);
        Assert.Equal(["instant", "tsa-authors"], spec.Archs.Select(a => a.Label));
        Assert.Equal("temporal-skip-aug", spec.Archs[1].Arch);
        Assert.Equal(8, (int)spec.Archs[1].Overrides!["ppo"]!["numEnvs"]!);
        Assert.Equal((7, 4096L, 3, 3), (spec.Seeds[0], spec.Steps, spec.Parallel, (int)spec.Overrides!["evalEpisodes"]!));
        Assert.Equal("sac", spec.Algo);
        Assert.Null(spec.Preset);
    }

    [Theory]
    [InlineData("{ \"envs\": \"minatar/breakout\" }", "key 'envs': must be a list")]
    [InlineData("{ \"taus\": [0] }", "key 'taus'")]
    [InlineData("{ \"archs\": [{ \"name\": \"x\" }] }", "an actor is a catalogue name or")]
    [InlineData("{ \"archs\": [{ \"arch\": \"instant\", \"colour\": 1 }] }", "unknown actor key 'colour'")]
    [InlineData("{ \"seed\": [1] }", "unknown key 'seed'")]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("{ \"envs\": [", "is not valid JSON")]
    public void ABadFileIsOneClearError(string json, string expected)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "bad.json");
        File.WriteAllText(path, json);
        var ex = Assert.Throws<UserInputException>(() => StudySpec.Load(path));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/b", "plain folder name")]
    [InlineData("ok", "archs lists 'instant' twice")]
    public void ValidateNamesTheProblem(string name, string expected)
    {
        var spec = new StudySpec { Name = name, Archs = name == "ok" ? [StudyArch.Of("instant"), StudyArch.Of("instant")] : [StudyArch.Of("instant")] };
        Assert.Contains(expected, Assert.Throws<UserInputException>(spec.Validate).Message, StringComparison.Ordinal);
    }
}
