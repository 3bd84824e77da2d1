using PipeRL.Agents.Ppo;
using PipeRL.Experiments.Configs;

namespace PipeRL.Experiments.Tests.Configs;

public sealed class TrainConfigTests
{
    [Fact]
    public void NameIsDerivedFromEnvArchTauAndSeed() =>
        Assert.Equal("minatar-breakout_temporal-skip_tau2_seed3", new TrainConfig { Arch = "temporal-skip", Tau = 2, Seed = 3 }.ResolvedName);

    [Theory]
    [InlineData("tau")]
    [InlineData("steps")]
    [InlineData("preset")]
    [InlineData("algorithm")]
    public void InvalidSettingsAreNamed(string what)
    {
        var bad = what switch
        {
            "tau" => new TrainConfig { Tau = 0 },
            "steps" => new TrainConfig { Steps = 10 },
            "preset" => new TrainConfig { Preset = "huge" },
            _ => new TrainConfig { Algo = "sac" },
        };
        var ex = Assert.Throws<ArgumentException>(bad.Validate);
        Assert.Contains(what, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void PresetsMapToTheirOptions()
    {
        Assert.Equal(PpoOptions.Paper, TrainConfig.PresetOptions("paper"));
        Assert.Equal(NetworkSize.Small, TrainConfig.PresetOptions("small").Network);
    }
}
