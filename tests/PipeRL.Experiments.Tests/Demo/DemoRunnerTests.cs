using PipeRL.Experiments.Demo;
using PipeRL.Experiments.Runs;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Demo;

public sealed class DemoRunnerTests
{
    [Fact]
    [Trait("Category", "Long")]
    public void TrainsEveryActorAndWritesTheTableAndCurves()
    {
        using var dir = new TempDirectory();
        var plans = DemoRunner.Plan(new DemoOptions { Steps = 1024, EvalEpisodes = 2 });
        Assert.Equal(DemoOptions.Architectures, plans.Select(p => p.Config.Arch));
        using var console = new StringWriter();
        var (folder, table) = DemoRunner.Run(plans, new RunStore(dir.Path), console, parallel: 2);
        foreach (var arch in DemoOptions.Architectures)
        {
            Assert.Contains($"| {arch} |", table, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, arch, "evaluation.json")), arch);
        }

        Assert.Contains("normalised", File.ReadAllText(Path.Combine(folder, "demo.md")), StringComparison.Ordinal);
        var curves = File.ReadAllLines(Path.Combine(folder, "curves.csv"));
        Assert.Equal("arch,tick,env_steps,episode_return", curves[0]);
        Assert.Equal(DemoOptions.Architectures, curves.Skip(1).Select(l => l.Split(',')[0]).Distinct());
    }

    [Fact]
    public void ABadEnvFailsBeforeAnythingIsWritten()
    {
        var ex = Assert.Throws<UserInputException>(() => DemoRunner.Plan(new DemoOptions { Env = "minatar/pong" }));
        Assert.Contains("minatar/pong", ex.Message, StringComparison.Ordinal);
    }
}
