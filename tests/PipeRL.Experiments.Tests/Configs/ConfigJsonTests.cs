using PipeRL.Agents.Ppo;
using PipeRL.Experiments.Configs;

namespace PipeRL.Experiments.Tests.Configs;

public sealed class ConfigJsonTests
{
    [Fact]
    public void RoundTripsEverySetting()
    {
        var config = new TrainConfig
        {
            Env = "classic/cartpole",
            Arch = "temporal-skip",
            Tau = 2,
            Steps = 5000,
            Seed = 7,
            Preset = "paper",
            Ppo = PpoOptions.Paper with { NumEnvs = 8, TargetKl = 0.02f },
        };
        var back = ConfigJson.Parse(ConfigJson.Serialize(config), "test");
        Assert.Equal(config, back);
    }

    [Fact]
    public void EnumsAreWrittenKebabCase()
    {
        var json = ConfigJson.Serialize(new TrainConfig { Ppo = PpoOptions.Paper });
        Assert.Contains("\"updateScheme\": \"paper\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("batchSize", json, StringComparison.Ordinal);
    }

    [Fact]
    public void PartialConfigKeepsDefaults()
    {
        var c = ConfigJson.Parse("{\"env\": \"classic/pendulum\", \"ppo\": {\"numEnvs\": 4}}", "test");
        Assert.Equal("classic/pendulum", c.Env);
        Assert.Equal(4, c.Ppo.NumEnvs);
        Assert.Equal(0.1f, c.Ppo.ClipCoef);
    }

    [Theory]
    [InlineData("{\"envv\": \"x\"}", "envv")]
    [InlineData("{\"tau\": \"two\"}", "line 1")]
    [InlineData("not json", "not a valid run config")]
    public void MalformedConfigsGiveOneClearError(string json, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => ConfigJson.Parse(json, "'c.json'"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }
}
