using PipeRL.Agents.Ppo;
using PipeRL.Experiments.Configs;
using PipeRL.Pipeline.Analysis;

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
            Tau = Tau.Steps(2),
            Steps = 5000,
            Seed = 7,
            Preset = "paper",
            Ppo = PpoOptions.Paper with { NumEnvs = 8, TargetKl = 0.02f },
        };
        var back = ConfigJson.Parse(ConfigJson.Serialize(config), "test");
        Assert.Equal(config, back);
    }

    [Theory]
    [InlineData("2", "2")]
    [InlineData("1/4", "\"1/4\"")]
    public void TauRoundTripsAsANumberOrAFraction(string tau, string json)
    {
        var config = new TrainConfig { Tau = Tau.Parse(tau) };
        var text = ConfigJson.Serialize(config);
        Assert.Contains($"\"tau\": {json},", text, StringComparison.Ordinal);
        Assert.Equal(config, ConfigJson.Parse(text, "test"));
    }

    [Theory]
    [InlineData("3", 3, 1)]
    [InlineData("\"3\"", 3, 1)]
    [InlineData("\"1/4\"", 1, 4)]
    [InlineData("0.25", 1, 4)]
    [InlineData("\"0.5\"", 1, 2)]
    public void TauIsReadInEveryAcceptedForm(string json, int k, int m)
    {
        var tau = ConfigJson.Parse($"{{\"tau\": {json}}}", "test").Tau;
        Assert.Equal((k, m), (tau.EnvStepsPerTick, tau.TicksPerEnvStep));
    }

    [Fact]
    public void OnlyTheSectionOfTheRunsAlgorithmIsWritten()
    {
        var config = new TrainConfig { Algo = "sac", Preset = "mujoco-sac", Sac = Agents.Sac.SacOptions.MuJoCo with { BatchSize = 64 } };
        var json = ConfigJson.Serialize(config);
        Assert.Contains("\"sac\": {", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"ppo\"", json, StringComparison.Ordinal);
        Assert.Equal(config, ConfigJson.Parse(json, "test"));
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
        Assert.Equal(4, c.Ppo!.NumEnvs);
        Assert.Equal(0.1f, c.Ppo.ClipCoef);
    }

    [Theory]
    [InlineData("{\"envv\": \"x\"}", "envv")]
    [InlineData("{\"tau\": \"two\"}", "line 1")]
    [InlineData("{\"tau\": 2.5}", "tau '2.5' is not a tick length")]
    [InlineData("{\"tau\": \"1/0\"}", "use an integer k >= 1")]
    [InlineData("{\"tau\": true}", "tau must be")]
    [InlineData("not json", "not a valid run config")]
    public void MalformedConfigsGiveOneClearError(string json, string expected)
    {
        var ex = Assert.Throws<UserInputException>(() => ConfigJson.Parse(json, "'c.json'"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }
}
