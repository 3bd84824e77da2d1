using System.Text.Json.Nodes;
using PipeRL.Agents.Acting;
using PipeRL.Agents.Ppo;
using PipeRL.Agents.Sac;
using PipeRL.Experiments.Configs;
using PipeRL.Experiments.Training;
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
        Assert.Equal(16, c.Ppo!.NumEnvs);
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

    [Theory]
    [InlineData("sac", "classic/pendulum", "mujoco-sac")]
    [InlineData("sac", "mujoco/halfcheetah", "mujoco-sac")]
    [InlineData("sac", "minatar/breakout", "minatar-dsac-small")]
    [InlineData("sac", "classic/cartpole", "minatar-dsac-small")]
    [InlineData("ppo", "minatar/breakout", "small")]
    [InlineData("ppo", "mujoco/hopper", "mujoco-ppo")]
    [InlineData("ppo", "classic/pendulum", "mujoco-ppo")]
    [InlineData("ppo", "classic/cartpole", "small")]
    public void WithoutAPresetTheAlgorithmAndTheEnvsFamilyChooseOne(string algo, string env, string preset)
    {
        var c = ConfigResolver.Resolve(null, new JsonObject { ["algo"] = algo, ["env"] = env });
        Assert.Equal((algo, preset), (c.Algo, c.Preset));
        Assert.Equal(Algorithms.PresetNamed(preset).Options, c.Options);
        Assert.Equal(algo == "sac", c.Sac is not null);
        Assert.Equal(algo == "ppo", c.Ppo is not null);
    }

    [Fact]
    public void APresetNamesItsAlgorithmAndEveryAlgorithmActsOnTheInFlightHistoryWindow()
    {
        var c = ConfigResolver.Resolve(null, new JsonObject { ["preset"] = "minatar-dsac", ["sac"] = new JsonObject { ["batchSize"] = 32 } });
        Assert.Equal("sac", c.Algo);
        Assert.Equal(SacOptions.MinAtar with { BatchSize = 32 }, c.Sac);
        Assert.Equal(HistoryWindow.InFlight, c.Actor.HistoryWindow);
        Assert.Equal(HistoryWindow.InFlight, ConfigResolver.Resolve(null, []).Actor.HistoryWindow);
        var authors = ConfigResolver.Resolve(null, JsonNode.Parse("{\"algo\": \"sac\", \"actor\": {\"historyWindow\": \"authors\"}}")!.AsObject());
        Assert.Equal(HistoryWindow.Authors, authors.Actor.HistoryWindow);
    }

    [Theory]
    [InlineData("{\"algo\": \"dqn\"}", "Unknown algorithm 'dqn'; valid: ppo, sac.")]
    [InlineData("{\"algo\": \"sac\", \"preset\": \"small\"}", "Preset 'small' is a ppo preset, but this run trains sac (algo); sac presets: mujoco-sac, minatar-dsac, minatar-dsac-small.")]
    [InlineData("{\"algo\": \"ppo\", \"preset\": \"mujoco-sac\"}", "Preset 'mujoco-sac' is a sac preset, but this run trains ppo (algo); ppo presets: small, paper, mujoco-ppo.")]
    [InlineData("{\"algo\": \"sac\", \"ppo\": {\"clipCoef\": 0.2}}", "Config key 'ppo' holds ppo options, but this run trains sac (algo)")]
    [InlineData("{\"sac\": {\"batchSize\": 32}}", "Config key 'sac' holds sac options, but this run trains ppo (algo)")]
    [InlineData("{\"algo\": \"sac\", \"sac\": {\"clipCoef\": 0.2}}", "at 'sac.clipCoef'")]
    [InlineData("{\"algo\": \"sac\", \"sac\": {\"reportInterval\": 0}}", "report-interval must be at least 1")]
    [InlineData("{\"algo\": \"sac\", \"steps\": 500}", "steps (500) must cover at least one update: a report interval of 1000 ticks.")]
    [InlineData("{\"algo\": \"sac\", \"sac\": null}", "Config key 'sac' is null")]
    public void ImpossibleCombinationsAreOneClearError(string json, string expected)
    {
        var ex = Assert.Throws<UserInputException>(() => ConfigResolver.Resolve(null, JsonNode.Parse(json)!.AsObject()));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }
}
