using System.Text.Json.Nodes;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Studies;
using PipeRL.Pipeline.Analysis;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Studies;

public sealed class StudyRunnerTests
{
    private static StudySpec Tiny => new()
    {
        Name = "tiny",
        Envs = ["classic/cartpole"],
        Archs = [StudyArch.Of("instant"), new StudyArch("skip-fast", "temporal-skip", new JsonObject { ["ppo"] = new JsonObject { ["learningRate"] = 0.001 } })],
        Taus = [Tau.One, Tau.Steps(2)],
        Seeds = [1],
        Steps = 2048,
        EvalEpisodes = 2,
        Parallel = 2,
    };

    [Fact]
    public void PlansEveryEnvActorTauAndSeedWithTheActorsOverrides()
    {
        var entries = StudyRunner.Plan(new StudySpec { Envs = ["minatar/breakout", "minatar/freeway"], Archs = [StudyArch.Of("instant"), StudyArch.Of("pipelined")], Taus = [Tau.One, Tau.Fraction(2)], Seeds = [3, 4, 5] });
        Assert.Equal(24, entries.Count);
        Assert.Equal("minatar-freeway_pipelined_tau1-2_s5", entries[^1].Name);
        Assert.Equal(Tau.Fraction(2), entries[^1].Plan.Config.Tau);
        Assert.Equal([3, 4, 5], entries.Where(e => e.Plan.Config.Env == "minatar/freeway" && e.Label == "instant" && e.Plan.Config.Tau == Tau.One).Select(e => e.Plan.Config.Seed));

        var tiny = StudyRunner.Plan(Tiny);
        Assert.Equal(["instant", "instant", "skip-fast", "skip-fast"], tiny.Select(e => e.Label));
        Assert.Equal([2.5e-4f, 2.5e-4f, 0.001f, 0.001f], tiny.Select(e => e.Plan.Config.Ppo!.LearningRate));
        Assert.Equal("temporal-skip", tiny[^1].Plan.Config.Arch);
    }

    [Fact]
    public void ASacStudyTakesEachEnvsDefaultPresetUnlessItNamesOne()
    {
        var spec = new StudySpec { Envs = ["classic/pendulum", "minatar/breakout"], Archs = [StudyArch.Of("instant")], Seeds = [1], Algo = "sac", Steps = 30_000 };
        var entries = StudyRunner.Plan(spec);
        Assert.Equal(["mujoco-sac", "minatar-dsac-small"], entries.Select(e => e.Plan.Config.Preset));
        Assert.All(entries, e => Assert.Equal("sac", e.Plan.Config.Algo));
        Assert.Equal(20_000, StudyRunner.Plan(spec with { Envs = ["minatar/breakout"], Preset = "minatar-dsac" })[0].Plan.Config.Sac!.LearningStarts);
        var ex = Assert.Throws<UserInputException>(() => StudyRunner.Plan(spec with { Preset = "small" }));
        Assert.Contains("Preset 'small' is a ppo preset", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("minatar/pong", "instant", 1, "minatar/pong")]
    [InlineData("minatar/breakout", "transformer", 1, "transformer")]
    [InlineData("minatar/breakout", "instant", 0, "seeds needs at least one value")]
    public void BadSpecsFailBeforeAnythingIsWritten(string env, string arch, int seedCount, string expected)
    {
        var ex = Assert.Throws<UserInputException>(() => StudyRunner.Plan(new StudySpec { Envs = [env], Archs = [StudyArch.Of(arch)], Seeds = [.. Enumerable.Range(1, seedCount)] }));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("seed", "may not set 'seed'")]
    [InlineData("noSuchKey", "at 'noSuchKey'")]
    public void AnOverrideOfAFixedOrUnknownKeyIsRefused(string key, string expected)
    {
        var spec = Tiny with { Overrides = new JsonObject { [key] = 3 } };
        var ex = Assert.Throws<UserInputException>(() => StudyRunner.Plan(spec));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunsTheGridSkipsFinishedRunsAndResumesTheOthers()
    {
        using var dir = new TempDirectory();
        var store = new RunStore(dir.Path);
        var launched = new List<string>();
        int Launch(RunFolder run, TextWriter console, CancellationToken stop)
        {
            lock (launched)
            {
                launched.Add(run.Name);
            }

            return StudyRunner.InProcess(run, console, stop);
        }

        using var console = new StringWriter();
        var outcome = StudyRunner.Run(Tiny, store, console, Launch);
        Assert.Equal((4, 0, 0), (outcome.Finished, outcome.Skipped, outcome.Failed.Count));
        Assert.Contains("| classic/cartpole | 2 | skip-fast | 1 | 1 |", outcome.Table, StringComparison.Ordinal);
        var curves = File.ReadAllLines(Path.Combine(outcome.Folder, "curves.csv"));
        Assert.Equal("env,tau,actor,seed,tick,env_steps,episode_return,eval_sampled_return,eval_greedy_return", curves[0]);
        Assert.Contains(curves, l => l.StartsWith("classic/cartpole,2,skip-fast,1,", StringComparison.Ordinal));

        // A second run of the same study trains only what has not finished: here one run killed in its final evaluation.
        var lost = Path.Combine(outcome.Folder, "classic-cartpole_instant_tau2_s1");
        File.Delete(Path.Combine(lost, "evaluation.json"));
        File.Delete(Path.Combine(lost, "final.params"));
        launched.Clear();
        var again = StudyRunner.Run(Tiny, store, console, Launch);
        Assert.Equal(["classic-cartpole_instant_tau2_s1"], launched);
        Assert.Equal((1, 3), (again.Finished, again.Skipped));
        Assert.True(File.Exists(Path.Combine(lost, "final.params")));

        // The same study name with another config is refused before anything runs.
        var ex = Assert.Throws<UserInputException>(() => StudyRunner.Run(Tiny with { Steps = 4096 }, store, console, Launch));
        Assert.Contains("exists with another config ('steps': 2048 there, 4096 now)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStopRequestStartsNoMoreRuns()
    {
        using var dir = new TempDirectory();
        using var stop = new CancellationTokenSource();
        var started = 0;
        int Launch(RunFolder run, TextWriter console, CancellationToken token)
        {
            Interlocked.Increment(ref started);
            stop.Cancel();
            return 143;
        }

        var outcome = StudyRunner.Run(Tiny with { Parallel = 1 }, new RunStore(dir.Path), TextWriter.Null, Launch, stop.Token);
        Assert.Equal(1, started);
        Assert.Equal(4, outcome.Stopped);
        Assert.Null(outcome.Table);
    }
}
