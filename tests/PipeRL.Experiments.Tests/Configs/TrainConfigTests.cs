using PipeRL.Agents.Ppo;
using PipeRL.Experiments.Configs;
using PipeRL.Pipeline.Analysis;

namespace PipeRL.Experiments.Tests.Configs;

public sealed class TrainConfigTests
{
    [Fact]
    public void NameIsDerivedFromEnvArchTauAndSeed()
    {
        Assert.Equal("minatar-breakout_temporal-skip_tau2_seed3", new TrainConfig { Arch = "temporal-skip", Tau = Tau.Steps(2), Seed = 3 }.ResolvedName);
        Assert.Equal("minatar-breakout_instant_tau1-4_seed1", new TrainConfig { Tau = Tau.Fraction(4) }.ResolvedName);
    }

    [Theory]
    [InlineData("2", 1024, 2048)]
    [InlineData("1", 1000, 1000)]
    [InlineData("1/2", 1024, 512)]
    [InlineData("1/4", 1024, 256)]
    [InlineData("1/4", 40, 8)]
    [InlineData("1/4", 12, 0)]
    public void EnvStepsCountTicksTimesKOrWholeStepsOfMTicks(string tau, long ticks, long envSteps)
    {
        // 8 envs: at tau = 1/4, 40 ticks are 5 per env, one whole env step each.
        var config = new TrainConfig { Tau = Tau.Parse(tau), Ppo = PpoOptions.Small with { NumEnvs = 8 } };
        Assert.Equal(envSteps, config.EnvSteps(ticks));
    }

    [Theory]
    [InlineData("tau")]
    [InlineData("steps")]
    [InlineData("preset")]
    [InlineData("algorithm")]
    public void InvalidSettingsAreNamed(string what)
    {
        var bad = what switch
        {
            "tau" => new TrainConfig { Tau = default },
            "steps" => new TrainConfig { Steps = 10 },
            "preset" => new TrainConfig { Preset = "huge" },
            _ => new TrainConfig { Algo = "dqn" },
        };
        var ex = Assert.Throws<UserInputException>(bad.Validate);
        Assert.Contains(what, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AConfigWithoutItsAlgorithmsSectionTakesThePresetsOptions()
    {
        Assert.Equal(PpoOptions.Paper, new TrainConfig { Preset = "paper" }.Options);
        Assert.Equal(NetworkSize.Small, new TrainConfig().Options.Network);
        var sac = new TrainConfig { Algo = "sac", Preset = "minatar-dsac-small", Steps = 3000 };
        Assert.Equal(1, sac.Options.NumEnvs);
        Assert.Equal(3, sac.NumUpdates());
        Assert.Equal(3000, sac.TrainTicks());
    }
}
