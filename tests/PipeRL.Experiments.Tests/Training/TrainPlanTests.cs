using PipeRL.Agents;
using PipeRL.Agents.Acting;
using PipeRL.Agents.Normalization;
using PipeRL.Agents.Ppo;
using PipeRL.Agents.Sac;
using PipeRL.Envs.MuJoCo;
using PipeRL.Experiments.Configs;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Runs.TensorBoard;
using PipeRL.Experiments.Training;
using PipeRL.Pipeline.Analysis;
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
            ["checkpoint.ckpt", "config.json", EventFileWriter.FilePrefix, "metrics.csv", "provenance.json", "run.id", "run.lock", "run.lock.holder"],
            Directory.GetFiles(run.Path).Select(Path.GetFileName).Select(n => n!.StartsWith(EventFileWriter.FilePrefix, StringComparison.Ordinal) ? EventFileWriter.FilePrefix : n).Order(StringComparer.Ordinal));
        var checkpoint = Checkpoint.Load(run.CheckpointPath);
        Assert.Equal([1L, 256L], checkpoint.GetIntegers("ppo.updates_ticks"));
        Assert.Equal([(long)(config.Ppo!.UpdateEpochs * config.Ppo.NumMinibatches)], checkpoint.GetIntegers("adam.step"));
        Assert.Single(File.ReadLines(run.MetricsPath), l => l.StartsWith("update,", StringComparison.Ordinal));

        Assert.Contains("Stopped after update 1/4 (tick 256); checkpoint and metrics saved.", console.ToString(), StringComparison.Ordinal);

        // A row written after the checkpoint by a process killed later is dropped on resume.
        File.AppendAllText(run.MetricsPath, "episode,300,300,9.9,12,12,,,,,,,,\n");
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
        Assert.DoesNotContain("episode,300,300,9.9,12,12,,,,,,,,", File.ReadLines(run.MetricsPath));

        // The resumed run is the uninterrupted one: same parameters, byte for byte, and the same rows but for the wall clock.
        using var whole = new TempDirectory();
        var uninterrupted = plan.Run(new RunStore(whole.Path), TextWriter.Null);
        Assert.Equal(File.ReadAllBytes(uninterrupted.Run.ParametersPath), File.ReadAllBytes(run.ParametersPath));
        Assert.Equal(WithoutWallClock(uninterrupted.Run), WithoutWallClock(run));
        Assert.Equal(uninterrupted.Summary.Sampled.Returns, result.Summary.Sampled.Returns);
    }

    [SkippableTheory]
    [InlineData("minatar/breakout", "1")]
    [InlineData("minatar/seaquest", "1/2")]
    [InlineData("classic/cartpole", "2")]
    [InlineData("classic/pendulum", "1")]
    [InlineData("mujoco/hopper", "1")]
    [InlineData("mujoco/ant", "3")]
    public void ARunStoppedAndResumedEndsWithTheBytesOfOneNeverStopped(string env, string tau)
    {
        // Every env family, vector env and tau wrapper, stopped after its first update with episodes in progress.
        if (env.StartsWith("mujoco/", StringComparison.Ordinal))
        {
            var unavailable = MuJoCoEnvs.UnavailableReason;
            Skip.If(unavailable is not null, unavailable);
        }

        using var dir = new TempDirectory();
        var plan = TrainPlan.Prepare(Config(2 * 256) with { Env = env, Tau = Tau.Parse(tau), EvalEpisodes = 0 });
        using var stop = new CancellationTokenSource();
        using var console = new StopOnLine("] tick ", stop);
        var run = Assert.Throws<TrainingStoppedException>(() => plan.Run(new RunStore(dir.Path), console, stop.Token)).Run;
        TrainPlan.Prepare(run.ReadConfig()).Resume(run, TextWriter.Null);

        using var whole = new TempDirectory();
        var uninterrupted = plan.Run(new RunStore(whole.Path), TextWriter.Null);
        Assert.Equal(File.ReadAllBytes(uninterrupted.Run.ParametersPath), File.ReadAllBytes(run.ParametersPath));
        Assert.Equal(WithoutWallClock(uninterrupted.Run), WithoutWallClock(run));
    }

    [Fact]
    public void ARunReportsTheEnvStepsTakenNotTicksTimesK()
    {
        // At tau = 3 a CartPole episode that ends inside a tick's repeat takes fewer than 3 steps in that tick.
        using var dir = new TempDirectory();
        var config = Config(2 * 256) with { Tau = Tau.Parse("3"), EvalEpisodes = 1 };
        var result = TrainPlan.Prepare(config).Run(new RunStore(dir.Path), TextWriter.Null);
        var rows = File.ReadLines(result.Run.MetricsPath).Skip(1).Select(l => l.Split(',')).ToList();
        var episodes = rows.Count(r => r[0] == "episode");
        var lastUpdate = rows.Last(r => r[0] == "update");
        var reported = long.Parse(lastUpdate[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(reported, result.Summary.EnvSteps);
        Assert.Contains($"\"envSteps\": {reported},", File.ReadAllText(result.Run.EvaluationPath), StringComparison.Ordinal);
        Assert.True(episodes > 0);
        // Each ended episode cuts its last repeat short by at most 2 steps, and with these seeds some do.
        Assert.InRange(reported, (3 * 512) - (2 * episodes), (3 * 512) - 1);
    }

    [Fact]
    public void ACheckpointOfAnEarlierPipeRLWithoutActingStateIsRefusedInOneLine()
    {
        using var dir = new TempDirectory();
        var stopped = StoppedRun(dir.Path);
        var saved = Checkpoint.Load(stopped.CheckpointPath);
        var old = new Checkpoint();
        foreach (var (name, tensor) in saved.Tensors)
        {
            old.SetTensor(name, tensor);
        }

        foreach (var (name, values) in saved.Integers)
        {
            old.SetIntegers(name, values);
        }

        old.Save(stopped.CheckpointPath);
        var ex = Assert.Throws<UserInputException>(() => TrainPlan.Prepare(stopped.ReadConfig()).Resume(stopped, TextWriter.Null));
        Assert.StartsWith("Cannot resume: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("has no acting state", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void EvaluationStandardisesWithTheStatisticsOfTheFinalParameters()
    {
        using var dir = new TempDirectory();
        var config = Config(2 * 256) with { EvalEpisodes = 4, Ppo = Config(0).Ppo! with { NormalizeObservations = true, NormalizeRewards = true } };
        var plan = TrainPlan.Prepare(config);
        var result = plan.Run(new RunStore(dir.Path), TextWriter.Null);

        // What 'piperl eval' does: the actor and the statistics from final.params, which are the end of training's.
        var actor = ActorFactory.Create(plan.Architecture, (ulong)config.Seed, config.Actor);
        var normalizer = plan.NewObservationNormalizer()!;
        RunParameters.LoadActor(result.Run.ParametersPath, actor, normalizer);
        var atEnd = new RunningMeanStd(4);
        atEnd.Load(Checkpoint.Load(result.Run.CheckpointPath), ObservationNormalizer.CheckpointKey);
        Assert.Equal(atEnd.ToArray(), normalizer.Statistics.ToArray());
        Assert.True(normalizer.Statistics.Count > 512);
        var (sampled, greedy) = TrainPlan.Evaluate(config, actor, 4, normalizer);
        Assert.Equal(result.Summary.Sampled.Returns, sampled.Returns);
        Assert.Equal(result.Summary.Greedy.Returns, greedy.Returns);
    }

    [Fact]
    public void AStopDuringTheFinalEvaluationLeavesARunThatResumeEvaluates()
    {
        using var dir = new TempDirectory();
        var plan = TrainPlan.Prepare(Config(2 * 256) with { EvalEpisodes = 3 });
        using var stop = new CancellationTokenSource();

        // The last progress line comes after training, just before the evaluation.
        using var console = new StopOnLine("[100.0%]", stop);
        var ex = Assert.Throws<TrainingStoppedException>(() => plan.Run(new RunStore(dir.Path), console, stop.Token));
        Assert.Equal(2, ex.Updates);
        Assert.Contains("Stopped during the final evaluation", console.ToString(), StringComparison.Ordinal);
        var run = ex.Run;
        Assert.False(run.HasParameters);
        Assert.False(File.Exists(run.EvaluationPath));

        var resumeConsole = new StringWriter();
        var result = TrainPlan.Prepare(run.ReadConfig()).Resume(run, resumeConsole);
        Assert.Contains("Resumed after the last update (2/2, tick 512); running the final evaluation.", resumeConsole.ToString(), StringComparison.Ordinal);
        Assert.True(run.HasParameters);
        Assert.True(File.Exists(run.EvaluationPath));

        // The same evaluation and parameters as a run that was never stopped.
        using var whole = new TempDirectory();
        var uninterrupted = plan.Run(new RunStore(whole.Path), TextWriter.Null);
        Assert.Equal(uninterrupted.Summary.Sampled.Returns, result.Summary.Sampled.Returns);
        Assert.Equal(uninterrupted.Summary.Greedy.Returns, result.Summary.Greedy.Returns);
        Assert.Equal(File.ReadAllBytes(uninterrupted.Run.ParametersPath), File.ReadAllBytes(run.ParametersPath));
    }

    [Fact]
    public void ResumeRefusesAnotherRunsCheckpointAndAnEditedConfig()
    {
        using var dir = new TempDirectory();
        var store = new RunStore(dir.Path);
        var plan = TrainPlan.Prepare(Config(2 * 256) with { EvalEpisodes = 0 });
        var first = plan.Run(store, TextWriter.Null).Run;
        var second = plan.Run(store, TextWriter.Null).Run;
        Assert.Equal(File.ReadAllText(first.ConfigPath), File.ReadAllText(second.ConfigPath));
        File.Delete(second.ParametersPath);

        // Same config, other run: the identity tells them apart.
        File.Copy(first.CheckpointPath, second.CheckpointPath, overwrite: true);
        var foreign = Assert.Throws<UserInputException>(() => plan.Resume(second, TextWriter.Null));
        Assert.Contains("belongs to another run", foreign.Message, StringComparison.Ordinal);

        // Its own checkpoint, but the architecture edited in config.json afterwards.
        File.Delete(first.ParametersPath);
        File.WriteAllText(first.ConfigPath, File.ReadAllText(first.ConfigPath).Replace("\"temporal-skip\"", "\"pipelined\"", StringComparison.Ordinal));
        var edited = Assert.Throws<UserInputException>(() => TrainPlan.Prepare(first.ReadConfig()).Resume(first, TextWriter.Null));
        Assert.Contains("config.json was changed after the checkpoint was written", edited.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResumeRemovesTemporaryFilesOfAKilledWriteAndRefusesAFolderInUse()
    {
        using var dir = new TempDirectory();
        var stopped = StoppedRun(dir.Path);
        var stale = Path.Combine(stopped.Path, "checkpoint.ckpt.4242.tmp");
        using (RunLock.Acquire(stopped))
        {
            // As a process killed while writing a checkpoint leaves it.
            File.WriteAllBytes(stale, new byte[1024]);
            var busy = Assert.Throws<UserInputException>(() => TrainPlan.Prepare(stopped.ReadConfig()).Resume(stopped, TextWriter.Null));
            Assert.Contains($"is in use by process {Environment.ProcessId} on {Environment.MachineName}", busy.Message, StringComparison.Ordinal);
            Assert.True(File.Exists(stale));
        }

        var console = new StringWriter();
        TrainPlan.Prepare(stopped.ReadConfig()).Resume(stopped, console);
        Assert.Contains("Removed 1 temporary file(s)", console.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(stale));
    }

    [Fact]
    public void ACheckpointThatCannotBeWrittenStopsTheRunWithOneErrorAndKeepsTheLastOne()
    {
        using var dir = new TempDirectory();
        var stopped = StoppedRun(dir.Path);
        var saved = File.ReadAllBytes(stopped.CheckpointPath);

        // A folder where this process writes its next checkpoint, as a full disk or a lost folder fails that write.
        var blocker = Directory.CreateDirectory($"{stopped.CheckpointPath}.{Environment.ProcessId}.tmp");
        var ex = Assert.Throws<UserInputException>(() => TrainPlan.Prepare(stopped.ReadConfig()).Resume(stopped, TextWriter.Null));
        Assert.StartsWith($"Writing run folder {stopped.Path} failed: ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("Its last checkpoint stays valid: fix the cause, then resume the run.", ex.Message, StringComparison.Ordinal);
        Assert.Equal(saved, File.ReadAllBytes(stopped.CheckpointPath));

        blocker.Delete();
        var result = TrainPlan.Prepare(stopped.ReadConfig()).Resume(stopped, TextWriter.Null);
        Assert.True(result.Run.HasParameters);
    }

    private static RunFolder StoppedRun(string root)
    {
        var plan = TrainPlan.Prepare(Config(4 * 256) with { EvalEpisodes = 0 });
        using var stop = new CancellationTokenSource();
        using var console = new StopOnLine("tick 256/", stop);
        return Assert.Throws<TrainingStoppedException>(() => plan.Run(new RunStore(root), console, stop.Token)).Run;
    }

    /// <summary>The metrics rows with the wall-clock cells blanked.</summary>
    private static string[] WithoutWallClock(RunFolder run)
    {
        var lines = File.ReadAllLines(run.MetricsPath);
        var header = lines[0].Split(',');
        var wall = MetricsWriter.WallClockColumns.Select(c => Array.IndexOf(header, c)).ToArray();
        Assert.DoesNotContain(-1, wall);
        return [.. lines.Select(line => string.Join(',', line.Split(',').Select((cell, i) => wall.Contains(i) ? string.Empty : cell)))];
    }

    private static TrainConfig Sac(string arch = "temporal-skip") => new()
    {
        Env = "classic/pendulum",
        Arch = arch,
        Algo = "sac",
        Preset = "mujoco-sac",
        Actor = ActorConfig.Default with { HistoryWindow = HistoryWindow.Authors },
        Sac = SacOptions.MuJoCo with { LearningStarts = 50, BatchSize = 16, BufferSize = 2_000, ReportInterval = 100, Network = NetworkSize.Small },
        Steps = 400,
        EvalEpisodes = 2,
        Name = "sac",
    };

    [Fact]
    public void ASacRunWritesItsConfigMetricsCheckpointAndEvaluationAndResumesAsIfNeverStopped()
    {
        using var dir = new TempDirectory();
        var plan = TrainPlan.Prepare(Sac());
        using var stop = new CancellationTokenSource();
        using var console = new StopOnLine("tick 100/", stop);
        var ex = Assert.Throws<TrainingStoppedException>(() => plan.Run(new RunStore(dir.Path), console, stop.Token));
        Assert.Contains("Training sac on classic/pendulum", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("preset mujoco-sac (the authors' MuJoCo SAC)", console.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, ex.Updates);
        var run = ex.Run;
        var config = File.ReadAllText(run.ConfigPath);
        Assert.Contains("\"algo\": \"sac\"", config, StringComparison.Ordinal);
        Assert.Contains("\"reportInterval\": 100", config, StringComparison.Ordinal);
        Assert.DoesNotContain("\"ppo\"", config, StringComparison.Ordinal);
        Assert.Equal(
            "kind,tick,env_steps,wall_s,episode_return,episode_ticks,q_loss,q_value,actor_loss,entropy,alpha,alpha_loss,sps",
            File.ReadLines(run.MetricsPath).First());
        var checkpoint = Checkpoint.Load(run.CheckpointPath);
        Assert.Equal([100L, 1, 50], checkpoint.GetIntegers("sac.ticks_updates_learn_after"));
        Assert.DoesNotContain(checkpoint.Tensors.Keys, k => k.StartsWith("sac.replay.", StringComparison.Ordinal));
        Assert.Equal(100, checkpoint.GetIntegers("sac.replay_file")[1]);
        Assert.True(File.Exists(Path.Combine(run.Path, "checkpoint.replay")));

        var resumeConsole = new StringWriter();
        var result = TrainPlan.Prepare(run.ReadConfig()).Resume(run, resumeConsole);
        Assert.Contains("Resumed at update 1/4 (tick 100): networks, optimizers, temperature, replay, env, episode in progress", resumeConsole.ToString(), StringComparison.Ordinal);
        Assert.Equal(400, result.Summary.Ticks);
        Assert.Empty(Directory.GetFiles(run.Path, "checkpoint.replay*"));
        var updates = File.ReadLines(run.MetricsPath).Where(l => l.StartsWith("update,", StringComparison.Ordinal)).Select(l => l.Split(',')).ToList();
        Assert.Equal(["100", "200", "300", "400"], updates.Select(u => u[1]));
        Assert.All(updates.Skip(1), u => Assert.True(double.Parse(u[6], System.Globalization.CultureInfo.InvariantCulture) > 0, "q_loss"));
        Assert.Contains(EventFileWriter.ReadAll(EventFileWriter.Find(run.Path)!), e => e.Scalars.Any(s => s.Key == "train/alpha"));
        Assert.Equal(2, result.Summary.Greedy.Returns.Count);

        // The finished run's actor evaluates as 'piperl eval' does it: greedy is deterministic, tanh of the mean.
        var actor = ActorFactory.Create(plan.Architecture, 1, plan.Config.Actor);
        RunParameters.LoadActor(run.ParametersPath, actor);
        Assert.Contains(Checkpoint.Load(run.ParametersPath).Tensors.Keys, k => k.StartsWith("qf1.", StringComparison.Ordinal));
        var (_, greedy) = TrainPlan.Evaluate(run.ReadConfig(), actor, 2);
        Assert.Equal(result.Summary.Greedy.Returns, greedy.Returns);

        // The resumed run is the run that was never stopped, bit for bit.
        using var whole = new TempDirectory();
        var uninterrupted = plan.Run(new RunStore(whole.Path), TextWriter.Null);
        Assert.Equal(File.ReadAllBytes(uninterrupted.Run.ParametersPath), File.ReadAllBytes(run.ParametersPath));
        Assert.Equal(WithoutWallClock(uninterrupted.Run), WithoutWallClock(run));
    }

    [Fact]
    public void ASacRunWhoseReplayWrapsBeforeTheStopResumesAsIfNeverStopped()
    {
        // 60 rows: the ring has wrapped by the checkpoint at tick 100 (whose last 40 rows went through a journal).
        using var dir = new TempDirectory();
        var plan = TrainPlan.Prepare(Sac() with { Sac = Sac().Sac! with { BufferSize = 60 }, EvalEpisodes = 0 });
        using var stop = new CancellationTokenSource();
        using var console = new StopOnLine("tick 100/", stop);
        var run = Assert.Throws<TrainingStoppedException>(() => plan.Run(new RunStore(dir.Path), console, stop.Token)).Run;
        var checkpoint = Checkpoint.Load(run.CheckpointPath);
        Assert.InRange(checkpoint.GetIntegers("sac.replay_file")[1], 100, 101);
        var resumeConsole = new StringWriter();
        TrainPlan.Prepare(run.ReadConfig()).Resume(run, resumeConsole);
        Assert.Contains("Resumed at update 1/4 (tick 100): networks, optimizers, temperature, replay, env", resumeConsole.ToString(), StringComparison.Ordinal);

        using var whole = new TempDirectory();
        var uninterrupted = plan.Run(new RunStore(whole.Path), TextWriter.Null);
        Assert.Equal(File.ReadAllBytes(uninterrupted.Run.ParametersPath), File.ReadAllBytes(run.ParametersPath));
        Assert.Equal(WithoutWallClock(uninterrupted.Run), WithoutWallClock(run));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ResumeRefusesAMissingOrCorruptReplayFileInOneLine(bool corrupt)
    {
        using var dir = new TempDirectory();
        var plan = TrainPlan.Prepare(Sac() with { EvalEpisodes = 0 });
        using var stop = new CancellationTokenSource();
        using var console = new StopOnLine("tick 100/", stop);
        var run = Assert.Throws<TrainingStoppedException>(() => plan.Run(new RunStore(dir.Path), console, stop.Token)).Run;
        var replay = Path.Combine(run.Path, "checkpoint.replay");
        if (corrupt)
        {
            using var stream = new FileStream(replay, FileMode.Open, FileAccess.ReadWrite);
            stream.Position = 1000;
            var b = stream.ReadByte();
            stream.Position = 1000;
            stream.WriteByte((byte)~b);
        }
        else
        {
            File.Delete(replay);
        }

        var ex = Assert.Throws<UserInputException>(() => TrainPlan.Prepare(run.ReadConfig()).Resume(run, TextWriter.Null));
        Assert.StartsWith($"Cannot resume: Replay file {replay} {(corrupt ? "does not hold row" : "is missing")}", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith($"the run cannot resume from {run.CheckpointPath} without it: put back the replay files saved with that checkpoint, or delete the checkpoint to train the run again from its start.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("sequential")]
    public void SacRefusesAnActorItCannotReplayBeforeAnythingIsWritten(string arch)
    {
        var ex = Assert.Throws<UserInputException>(() => TrainPlan.Prepare(Sac(arch)));
        Assert.Contains("sequential and recurrent actors are not supported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckpointsComeEveryTenthOfTheRunByDefault()
    {
        Assert.Equal(4, Config(38 * 256).CheckpointInterval());
        Assert.Equal(1, Config(3 * 256).CheckpointInterval());
        Assert.Equal(7, (Config(38 * 256) with { CheckpointEvery = 7 }).CheckpointInterval());
    }
}
