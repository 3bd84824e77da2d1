using System.Globalization;
using PipeRL.Agents.Ppo;
using PipeRL.Experiments.Configs;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Runs.TensorBoard;
using PipeRL.Experiments.Training;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Training;

public sealed class PeriodicEvaluationTests
{
    // Updates end at ticks 256, 512, 768 and 1024; an interval of 300 ticks is crossed by the last three.
    private static TrainConfig Config(long evalEvery) => new()
    {
        Env = "classic/cartpole",
        Arch = "temporal-skip",
        Steps = 4 * 256,
        EvalEpisodes = 0,
        EvalEvery = evalEvery,
        EvalEveryEpisodes = 3,
        Name = "eval",
        Ppo = PpoOptions.Small with { NumEnvs = 4, NumSteps = 64 },
    };

    [Fact]
    public void EvaluatingDuringTrainingLeavesTrainingBitIdenticalAndWritesRowsAtTheTicksThatCrossTheInterval()
    {
        using var off = new TempDirectory();
        using var on = new TempDirectory();
        var plain = TrainPlan.Prepare(Config(0)).Run(new RunStore(off.Path), TextWriter.Null).Run;
        var console = new StringWriter();
        var evaluated = TrainPlan.Prepare(Config(300)).Run(new RunStore(on.Path), console).Run;

        Assert.Equal(File.ReadAllBytes(plain.ParametersPath), File.ReadAllBytes(evaluated.ParametersPath));
        Assert.False(File.Exists(plain.BestParametersPath));
        Assert.DoesNotContain(File.ReadLines(plain.MetricsPath), l => l.StartsWith("eval,", StringComparison.Ordinal));

        var rows = EvalRows(evaluated);
        Assert.Equal([512L, 768, 1024], rows.Select(r => r.Tick));
        Assert.Equal([512L, 768, 1024], rows.Select(r => r.EnvSteps));
        Assert.Contains("Evaluation at tick 512 over 3 episodes: sampled ", console.ToString(), StringComparison.Ordinal);

        // The other rows are those of the run without evaluation, in the same order, the evaluation columns left empty.
        var header = File.ReadLines(evaluated.MetricsPath).First().Split(',');
        var evalColumns = MetricsWriter.EvaluationColumns.Select(c => Array.IndexOf(header, c)).ToArray();
        Assert.Equal(File.ReadLines(plain.MetricsPath).First(), string.Join(',', header.Where((_, i) => !evalColumns.Contains(i))));
        var others = File.ReadLines(evaluated.MetricsPath).Skip(1).Where(l => !l.StartsWith("eval,", StringComparison.Ordinal)).Select(l => l.Split(',')).ToList();
        Assert.All(others, cells => Assert.All(evalColumns, i => Assert.Empty(cells[i])));
        Assert.Equal(
            File.ReadLines(plain.MetricsPath).Skip(1).Select(WithoutWallClock),
            others.Select(cells => WithoutWallClock(string.Join(',', cells.Where((_, i) => !evalColumns.Contains(i))))));

        var events = EventFileWriter.ReadAll(EventFileWriter.Find(evaluated.Path)!);
        Assert.Equal([512L, 768, 1024], events.Where(e => e.Scalars.Any(s => s.Key == "eval/sampled_return")).Select(e => e.Step));
        var last = events.Last(e => e.Scalars.Any(s => s.Key == "eval/greedy_return"));
        Assert.Equal((float)rows[^1].Greedy, last.Scalars.Single(s => s.Key == "eval/greedy_return").Value, 1e-3f);
    }

    [Fact]
    public void BestParamsHoldTheActorOfTheBestSampledRow()
    {
        using var dir = new TempDirectory();
        var config = Config(300);
        var plan = TrainPlan.Prepare(config);
        var run = plan.Run(new RunStore(dir.Path), TextWriter.Null).Run;
        var best = EvalRows(run).Max(r => r.Sampled);

        var actor = ActorFactory.Create(plan.Architecture, (ulong)config.Seed, config.Actor);
        RunParameters.LoadActor(run.BestParametersPath, actor);
        var (sampled, _) = TrainPlan.Evaluate(config, actor, config.EvalEveryEpisodes);
        Assert.Equal(best, sampled.Mean, 1e-4);
    }

    [Fact]
    public void ARunThatEvaluatesStoppedAndResumedEndsWithTheBytesOfOneNeverStopped()
    {
        using var dir = new TempDirectory();
        var plan = TrainPlan.Prepare(Config(300) with { CheckpointEvery = 1 });
        using var stop = new CancellationTokenSource();

        // Stopped after update 2, whose evaluation (tick 512) is in its checkpoint.
        using var console = new StopOnLine("Evaluation at tick 512 ", stop);
        var run = Assert.Throws<TrainingStoppedException>(() => plan.Run(new RunStore(dir.Path), console, stop.Token)).Run;
        Assert.Single(EvalRows(run));
        var bestAtStop = File.ReadAllBytes(run.BestParametersPath);
        TrainPlan.Prepare(run.ReadConfig()).Resume(run, TextWriter.Null);

        using var whole = new TempDirectory();
        var uninterrupted = plan.Run(new RunStore(whole.Path), TextWriter.Null).Run;
        Assert.Equal(File.ReadAllBytes(uninterrupted.ParametersPath), File.ReadAllBytes(run.ParametersPath));
        Assert.Equal(File.ReadAllBytes(uninterrupted.BestParametersPath), File.ReadAllBytes(run.BestParametersPath));
        Assert.Equal(File.ReadLines(uninterrupted.MetricsPath).Select(WithoutWallClock), File.ReadLines(run.MetricsPath).Select(WithoutWallClock));
        Assert.NotEmpty(bestAtStop);
    }

    [Fact]
    public void AnIntervalOffByDefaultLeavesTheSavedConfigAsBefore()
    {
        Assert.Equal(0, new TrainConfig().EvalEvery);
        Assert.DoesNotContain("evalEvery\"", ConfigJson.Serialize(Config(0)), StringComparison.Ordinal);
        Assert.Contains("\"evalEvery\": 300", ConfigJson.Serialize(Config(300)), StringComparison.Ordinal);
    }

    private static List<(long Tick, long EnvSteps, double Sampled, double Greedy)> EvalRows(RunFolder run)
    {
        var lines = File.ReadAllLines(run.MetricsPath);
        var header = lines[0].Split(',');
        var sampled = Array.IndexOf(header, MetricsWriter.EvaluationColumns[0]);
        var greedy = Array.IndexOf(header, MetricsWriter.EvaluationColumns[1]);
        var c = CultureInfo.InvariantCulture;
        return [.. lines.Where(l => l.StartsWith("eval,", StringComparison.Ordinal)).Select(l => l.Split(','))
            .Select(r => (long.Parse(r[1], c), long.Parse(r[2], c), double.Parse(r[sampled], c), double.Parse(r[greedy], c)))];
    }

    // The wall-clock cells (wall_s, the fourth; sps, the last) blanked.
    private static string WithoutWallClock(string line)
    {
        var cells = line.Split(',');
        cells[3] = string.Empty;
        cells[^1] = string.Empty;
        return string.Join(',', cells);
    }
}
