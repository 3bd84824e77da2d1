using System.Text.Json.Nodes;
using PipeRL.Agents.Ppo;
using PipeRL.Experiments.Configs;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Configs;

public sealed class ConfigResolverTests
{
    [Fact]
    public void CommandLineBeatsFileWhichBeatsPreset()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "c.json");
        File.WriteAllText(file, "{\"preset\": \"paper\", \"seed\": 5, \"ppo\": {\"numEnvs\": 16, \"clipCoef\": 0.2}}");
        var overrides = new JsonObject { ["seed"] = 9, ["ppo"] = new JsonObject { ["clipCoef"] = 0.3 } };
        var c = ConfigResolver.Resolve(file, overrides);
        Assert.Equal(9, c.Seed);
        Assert.Equal(16, c.Ppo.NumEnvs);
        Assert.Equal(0.3f, c.Ppo.ClipCoef);
        Assert.Equal(PpoUpdateScheme.Paper, c.Ppo.UpdateScheme);
        Assert.Equal("paper", c.Preset);
    }

    [Fact]
    public void PresetAloneGivesItsOptions()
    {
        var c = ConfigResolver.Resolve(null, new JsonObject { ["preset"] = "small" });
        Assert.Equal(PpoOptions.Small, c.Ppo);
    }

    [Fact]
    public void MissingFileIsOneClearError()
    {
        var ex = Assert.Throws<UserInputException>(() => ConfigResolver.Resolve("/nonexistent/c.json", []));
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidResultIsRejected()
    {
        var ex = Assert.Throws<UserInputException>(() => ConfigResolver.Resolve(null, new JsonObject { ["ppo"] = new JsonObject { ["numMinibatches"] = 3 } }));
        Assert.Contains("num-minibatches", ex.Message, StringComparison.Ordinal);
    }
}
