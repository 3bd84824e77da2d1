using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Studies;
using PipeRL.Pipeline.Analysis;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Studies;

public sealed class StudyRunnerTests
{
    [Fact]
    public void PlansEveryEnvArchitectureAndSeed()
    {
        var plans = StudyRunner.Plan(new StudyOptions { Envs = ["minatar/breakout", "minatar/freeway"], Architectures = ["instant", "pipelined"], Seeds = [3, 4, 5] });
        Assert.Equal(12, plans.Count);
        Assert.Equal("minatar-freeway_pipelined_s5", plans[^1].Config.ResolvedName);
        Assert.All(plans, p => Assert.Equal(Tau.One, p.Config.Tau));
        Assert.Equal([3, 4, 5], plans.Where(p => p.Config.Env == "minatar/freeway" && p.Config.Arch == "instant").Select(p => p.Config.Seed));
    }

    [Theory]
    [InlineData("minatar/pong", "instant", 1, "minatar/pong")]
    [InlineData("minatar/breakout", "transformer", 1, "transformer")]
    [InlineData("minatar/breakout", "instant", 0, "seeds need at least one value")]
    public void BadOptionsFailBeforeAnythingIsWritten(string env, string arch, int seedCount, string expected)
    {
        var ex = Assert.Throws<UserInputException>(() => StudyRunner.Plan(new StudyOptions { Envs = [env], Architectures = [arch], Seeds = [.. Enumerable.Range(1, seedCount)] }));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARepeatedValueIsRefused()
    {
        var ex = Assert.Throws<UserInputException>(() => StudyRunner.Plan(new StudyOptions { Seeds = [1, 1] }));
        Assert.Contains("seeds list '1' twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunsTheGridAndReportsItAgainFromTheFolder()
    {
        using var dir = new TempDirectory();
        var plans = StudyRunner.Plan(new StudyOptions { Envs = ["classic/cartpole"], Architectures = ["instant", "temporal-skip"], Seeds = [1, 2], Steps = 1024, EvalEpisodes = 2 });
        using var console = new StringWriter();
        var (folder, table) = StudyRunner.Run(plans, new RunStore(dir.Path), console, parallel: 2);
        Assert.Contains("| classic/cartpole | instant | 0 | 2 |", table, StringComparison.Ordinal);
        Assert.Contains("| classic/cartpole | temporal-skip | 1 | 2 |", table, StringComparison.Ordinal);
        var curves = File.ReadAllLines(Path.Combine(folder, "curves.csv"));
        Assert.Equal("env,arch,seed,tick,env_steps,episode_return", curves[0]);
        Assert.Equal(["classic/cartpole,instant,1", "classic/cartpole,instant,2", "classic/cartpole,temporal-skip,1", "classic/cartpole,temporal-skip,2"], curves.Skip(1).Select(l => string.Join(',', l.Split(',')[..3])).Distinct());

        // An unfinished run (a config but no evaluation yet) is counted and left out; the table is the same.
        var partial = Directory.CreateDirectory(Path.Combine(folder, "zz-running")).FullName;
        File.Copy(Path.Combine(folder, "classic-cartpole_instant_s1", "config.json"), Path.Combine(partial, "config.json"));
        Assert.Equal(table, StudyRunner.Report(folder));
        Assert.Contains("1 run(s) in this folder have not finished", File.ReadAllText(Path.Combine(folder, "study.md")), StringComparison.Ordinal);

        // An evaluation written before env steps were recorded gets them from its config: same table, no zero steps/s.
        var evaluation = Path.Combine(folder, "classic-cartpole_temporal-skip_s2", "evaluation.json");
        var lines = File.ReadAllLines(evaluation);
        Assert.Single(lines, l => l.Contains("\"envSteps\"", StringComparison.Ordinal));
        File.WriteAllLines(evaluation, lines.Where(l => !l.Contains("\"envSteps\"", StringComparison.Ordinal)));
        Assert.Equal(table, StudyRunner.Report(folder));
    }
}
