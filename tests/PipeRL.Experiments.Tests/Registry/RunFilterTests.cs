using PipeRL.Experiments.Registry;

namespace PipeRL.Experiments.Tests.Registry;

public sealed class RunFilterTests
{
    private static readonly RunRecord Breakout = new()
    {
        Path = "study/minatar-breakout_pipelined_tau2_s1", Name = "minatar-breakout_pipelined_tau2_s1", Study = "study",
        Env = "minatar/breakout", Arch = "pipelined", Tau = "2", Seed = 1, Algo = "ppo", Preset = "small", Status = "finished",
        Config = "{}", StartedUtc = "2026-01-01T00:00:00Z", UpdatedUtc = "2026-01-01T00:00:00Z", GitCommit = "abcdef0",
    };

    [Theory]
    [InlineData(true)]
    [InlineData(true, "env=minatar/breakout")]
    [InlineData(true, "env=minatar/*", "arch=instant,pipelined")]
    [InlineData(false, "env=minatar/*", "arch=instant,temporal-skip")]
    [InlineData(true, "name=*_tau2_*")]
    [InlineData(false, "name=*_tau3_*")]
    [InlineData(true, "tau=2", "seed=1", "status=finished", "study=study", "commit=abc*")]
    [InlineData(false, "status!=finished")]
    [InlineData(true, "arch!=instant")]
    [InlineData(false, "env=breakout")]
    [InlineData(false, "env=*breakout*x")]
    public void MatchesEveryTerm(bool expected, params string[] terms) =>
        Assert.Equal(expected, RunFilter.Parse(terms).Matches(Breakout));

    [Theory]
    [InlineData("env", "KEY=VALUE")]
    [InlineData("=x", "KEY=VALUE")]
    [InlineData("colour=red", "unknown key 'colour'")]
    public void RefusesAMalformedTermNamingTheProblem(string term, string expected)
    {
        var ex = Assert.Throws<UserInputException>(() => RunFilter.Parse([term]));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
