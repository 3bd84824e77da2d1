using PipeRL.Agents;
using PipeRL.Agents.Acting;
using PipeRL.Agents.Ppo;
using PipeRL.Experiments.Configs;
using PipeRL.Pipeline.Analysis;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;

namespace PipeRL.Experiments.Tests.Configs;

public sealed class TrainConfigTests
{
    [Fact]
    public void NameIsDerivedFromEnvArchTauAndSeed()
    {
        Assert.Equal("minatar-breakout_temporal-skip_tau2_seed3", new TrainConfig { Arch = "temporal-skip", Tau = Tau.Steps(2), Seed = 3 }.ResolvedName);
        Assert.Equal("minatar-breakout_instant_tau1-4_seed1", new TrainConfig { Tau = Tau.Fraction(4) }.ResolvedName);
        Assert.Equal("classic-cartpole_my-net_tau1_seed1", new TrainConfig { Env = "classic/cartpole", Arch = "nets/my-net.json" }.ResolvedName);
    }

    [Fact]
    public void VariantsOfOneArchitectureGetNamesOfTheirOwn()
    {
        static string Name(ActorConfig actor, string arch = "temporal-skip-aug", string algo = "ppo", PpoOptions? ppo = null) =>
            new TrainConfig { Arch = arch, Actor = actor, Algo = algo, Ppo = ppo }.ResolvedName;

        Assert.Equal("minatar-breakout_temporal-skip-aug_tau1_seed1", Name(ActorConfig.Default));
        Assert.Equal("minatar-breakout_temporal-skip-aug_tau1_seed1", Name(ActorConfig.Default with { Execution = ExecutionMode.Pipelined }));
        Assert.Equal("minatar-breakout_temporal-skip-aug-instant_tau1_seed1", Name(ActorConfig.Default with { Execution = ExecutionMode.Instant }));
        Assert.Equal("minatar-breakout_instant-pipelined_tau1_seed1", Name(ActorConfig.Default with { Execution = ExecutionMode.Pipelined }, "instant"));
        Assert.Equal(
            "minatar-breakout_temporal-skip-aug-h2-authors-reset_tau1_seed1",
            Name(ActorConfig.Default with { History = 2, HistoryWindow = HistoryWindow.Authors, EpisodeBoundary = EpisodeBoundary.Reset }));
        Assert.Equal("minatar-breakout_hidden-to-head-obs-to-head_tau1_seed1", Name(ActorConfig.Default with { ObservationToHead = true }, "hidden-to-head"));
        Assert.Equal("minatar-breakout_temporal-skip-aug-critic-augmented_tau1_seed1", Name(ActorConfig.Default, ppo: PpoOptions.Small with { CriticInput = CriticInput.Augmented }));

        // SAC's default window is the in-flight one too; the authors' is its variant.
        Assert.Equal("minatar-breakout_temporal-skip-aug_sac_tau1_seed1", Name(ActorConfig.Default, algo: "sac"));
        Assert.Equal("minatar-breakout_temporal-skip-aug-authors_sac_tau1_seed1", Name(ActorConfig.Default with { HistoryWindow = HistoryWindow.Authors }, algo: "sac"));
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
