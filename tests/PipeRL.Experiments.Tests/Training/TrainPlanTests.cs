using PipeRL.Agents.Ppo;
using PipeRL.Experiments.Configs;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Runs.TensorBoard;
using PipeRL.Experiments.Training;
using PipeRL.Tensors.IO;
using PipeRL.Tests;

namespace PipeRL.Experiments.Tests.Training;

public sealed class TrainPlanTests
{
    private static TrainConfig Config(long steps) => new()
    {
        Env = "classic/cartpole",
        Arch = "temporal-skip",
        Steps = steps,
        EvalEpisodes = 1,
        Name = "stop",
        Ppo = PpoOptions.Small with { NumEnvs = 4, NumSteps = 64 },
    };

    [Fact]
    public void AStopEndsAtTheNextUpdateWithACheckpointAndResumeFinishesTheRun()
    {
        using var dir = new TempDirectory();
        var config = Config(4 * 256);
        var plan = TrainPlan.Prepare(config);
        using var stop = new CancellationTokenSource();

        // The first progress line comes from update 1; a stop asked for then takes effect after that update.
        using var console = new StopOnLine("tick 256/", stop);
        var ex = Assert.Throws<TrainingStoppedException>(() => plan.Run(new RunStore(dir.Path), console, stop.Token));
        Assert.Equal(1, ex.Updates);

        var run = ex.Run;
        Assert.False(run.HasParameters);
        Assert.Empty(Directory.GetFiles(run.Path, "*.tmp*"));
        Assert.Equal(
            ["checkpoint.ckpt", "config.json", EventFileWriter.FilePrefix, "metrics.csv"],
            Directory.GetFiles(run.Path).Select(Path.GetFileName).Select(n => n!.StartsWith(EventFileWriter.FilePrefix, StringComparison.Ordinal) ? EventFileWriter.FilePrefix : n).Order(StringComparer.Ordinal));
        var checkpoint = Checkpoint.Load(run.CheckpointPath);
        Assert.Equal([1L, 256L], checkpoint.GetIntegers("ppo.updates_ticks"));
        Assert.Equal([(long)(config.Ppo.UpdateEpochs * config.Ppo.NumMinibatches)], checkpoint.GetIntegers("adam.step"));
        Assert.Single(File.ReadLines(run.MetricsPath), l => l.StartsWith("update,", StringComparison.Ordinal));

        Assert.Contains("Resume with: piperl train --resume " + run.Path, console.ToString(), StringComparison.Ordinal);
        var resumeConsole = new StringWriter();
        var result = TrainPlan.Prepare(run.ReadConfig()).Resume(run, resumeConsole);
        Assert.Contains("Resumed at update 1/4 (tick 256)", resumeConsole.ToString(), StringComparison.Ordinal);
        Assert.True(result.Run.HasParameters);
        Assert.Equal(1024, result.Summary.Ticks);
        Assert.Equal(
            [256L, 512, 768, 1024],
            File.ReadLines(run.MetricsPath).Where(l => l.StartsWith("update,", StringComparison.Ordinal)).Select(l => long.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(
            [256L, 512, 768, 1024],
            EventFileWriter.ReadAll(EventFileWriter.Find(run.Path)!).Where(e => e.Scalars.Any(s => s.Key == "train/policy_loss")).Select(e => e.Step));
    }

    [Fact]
    public void CheckpointsComeEveryTenthOfTheRunByDefault()
    {
        Assert.Equal(4, Config(38 * 256).CheckpointInterval());
        Assert.Equal(1, Config(3 * 256).CheckpointInterval());
        Assert.Equal(7, (Config(38 * 256) with { CheckpointEvery = 7 }).CheckpointInterval());
    }

    private sealed class StopOnLine(string text, CancellationTokenSource stop) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(text, StringComparison.Ordinal) == true)
            {
                stop.Cancel();
            }
        }
    }
}
