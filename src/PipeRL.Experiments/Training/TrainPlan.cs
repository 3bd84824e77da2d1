using System.Globalization;
using System.Text.Json;
using PipeRL.Agents;
using PipeRL.Agents.Evaluation;
using PipeRL.Agents.Networks;
using PipeRL.Agents.Normalization;
using PipeRL.Envs;
using PipeRL.Experiments.Configs;
using PipeRL.Experiments.Registry;
using PipeRL.Experiments.Runs;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Tensors;
using PipeRL.Tensors.IO;

namespace PipeRL.Experiments.Training;

/// <summary>
/// A validated training run: the config with its env and architecture checked, so a bad name fails before any
/// file is written. <see cref="Run"/> trains, writes the run folder and evaluates.
/// </summary>
public sealed class TrainPlan
{
    private const string RunKey = "run.metrics_bytes_wall_ms";
    private const string EnvStepsKey = "run.env_steps";

    private TrainPlan(TrainConfig config, Architecture architecture, BoxSpace observationSpace, Space actionSpace)
    {
        Config = config;
        Architecture = architecture;
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
    }

    /// <summary>The resolved config.</summary>
    public TrainConfig Config { get; }

    /// <summary>The actor's architecture.</summary>
    public Architecture Architecture { get; }

    /// <summary>One env's observation space.</summary>
    public BoxSpace ObservationSpace { get; }

    /// <summary>One env's action space.</summary>
    public Space ActionSpace { get; }

    /// <summary>Ticks between an observation and the first action it affects.</summary>
    public int DelayTicks => Architecture.Delays().MinimumDelay;

    /// <summary>How the actor runs: execution mode, action period, history and its window, episode boundary.</summary>
    public string DescribeActing()
    {
        var a = Architecture;
        var mode = JsonNamingPolicy.KebabCaseLower.ConvertName(a.Mode.ToString());
        var period = a.ActionPeriod > 1 ? $", a new action every {a.ActionPeriod} ticks" : string.Empty;
        var history = a.HistoryLength == 0
            ? "no action history"
            : $"input [observation; last {a.HistoryLength} actions], {JsonNamingPolicy.KebabCaseLower.ConvertName(Config.Actor.HistoryWindow.ToString())} window";
        return $"{mode}{period}; {history}; layer values {JsonNamingPolicy.KebabCaseLower.ConvertName(Config.Actor.EpisodeBoundary.ToString())} over episode ends";
    }

    /// <summary>A normaliser to load a finished run's observation statistics into, or null when its actor acts on raw observations.</summary>
    public ObservationNormalizer? NewObservationNormalizer() => Config.Options.NewObservationNormalizer(ObservationSpace.FlatSize);

    /// <summary>Validates <paramref name="config"/>, its env and its architecture; throws a <see cref="UserInputException"/> naming the problem.</summary>
    public static TrainPlan Prepare(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        config = Algorithms.Complete(config);
        using var env = EnvFactory.Create(config.Env, (uint)config.Seed, config.Tau);
        var architecture = ActorFactory.Architecture(config.Arch, config.Options.Network, env.ObservationSpace, env.ActionSpace, config.Actor, config.Algo);
        // Fails here, before any folder exists, when the execution mode and episode boundary do not go together, or the algorithm cannot train the actor.
        Algorithms.RequireSupported(config, ActorFactory.Create(architecture, 0, config.Actor), env.ActionSpace);
        return new TrainPlan(config, architecture, env.ObservationSpace, env.ActionSpace);
    }

    /// <summary>
    /// Trains in a new folder of <paramref name="store"/>, printing progress to <paramref name="console"/>; returns the
    /// folder and evaluations. Cancelling <paramref name="stop"/> ends training after the current update with a
    /// checkpoint (<see cref="TrainingStoppedException"/>).
    /// </summary>
    public TrainResult Run(RunStore store, TextWriter console, CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(console);
        var c = Config;
        var run = store.Create(c.ResolvedName);
        using var runLock = RunLock.Acquire(run);
        run.WriteIdentity();
        run.WriteConfig(c);
        RunProvenance.Current(DateTimeOffset.UtcNow).Write(run);
        console.WriteLine($"Training {c.Algo} on {c.Env}, actor {c.Arch} ({Architecture.Description}), tau {c.Tau}, {c.TrainTicks():N0} ticks = {(c.Tau.EnvStepsPerTick > 1 ? "at most " : string.Empty)}{c.EnvSteps(c.TrainTicks()):N0} env steps, seed {c.Seed}, preset {c.Preset} ({Algorithms.PresetNamed(c.Preset).Description})");
        console.WriteLine($"Actor: {DescribeActing()}");
        console.WriteLine($"Delay: {c.Tau.DescribeTicks(DelayTicks)}; run folder {run.Path}");
        return Train(run, store.RegistryPath, console, resumeFrom: null, stop);
    }

    /// <summary>
    /// Continues the unfinished run in <paramref name="run"/> (whose config this plan was prepared from) from its last
    /// checkpoint: parameters, optimizer, counters, random sources and the acting state (envs, layer values, action
    /// histories, episodes in progress) are restored and metrics rows written after the checkpoint are dropped, so the
    /// run ends as it would have without the interruption, bit for bit. A run stopped during
    /// its final evaluation (its last checkpoint is the end of training) is evaluated; a run without a checkpoint (stopped
    /// before its first, or prepared by a study) is trained from the start in its folder.
    /// </summary>
    public TrainResult Resume(RunFolder run, TextWriter console, CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(console);
        using var runLock = RunLock.Acquire(run);
        if (runLock.RemovedTemporaryFiles > 0)
        {
            console.WriteLine($"Removed {runLock.RemovedTemporaryFiles} temporary file(s) left in {run.Path} by an interrupted write.");
        }

        if (run.HasParameters)
        {
            throw new UserInputException($"Run {run.Path} has finished (final.params exists); there is nothing to resume.");
        }

        if (!run.HasCheckpoint)
        {
            console.WriteLine($"Run {run.Path} has no checkpoint yet; training it from the start.");
            if (run.ReadIdentity() is null)
            {
                run.WriteIdentity();
            }

            if (RunProvenance.Read(run) is null)
            {
                RunProvenance.Current(DateTimeOffset.UtcNow).Write(run);
            }

            return Train(run, RunRegistry.PathFor(run), console, resumeFrom: null, stop);
        }

        Checkpoint checkpoint;
        try
        {
            checkpoint = Checkpoint.Load(run.CheckpointPath);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"Cannot resume: {ex.Message}", ex);
        }

        RunBinding.Check(checkpoint, run);
        var c = Config;
        console.WriteLine($"Resuming {c.Algo} on {c.Env}, actor {c.Arch}, tau {c.Tau}, {c.TrainTicks():N0} ticks = {(c.Tau.EnvStepsPerTick > 1 ? "at most " : string.Empty)}{c.EnvSteps(c.TrainTicks()):N0} env steps, seed {c.Seed}, preset {c.Preset}; run folder {run.Path}");
        return Train(run, RunRegistry.PathFor(run), console, checkpoint, stop);
    }

    // The caller holds the run's lock; the registry indexes the run as running, then as the folder says when training ends.
    private TrainResult Train(RunFolder run, string registryPath, TextWriter console, Checkpoint? resumeFrom, CancellationToken stop)
    {
        try
        {
            RunRegistry.Record(registryPath, run, console);
            return TrainLocked(run, console, resumeFrom, stop);
        }
        finally
        {
            RunRegistry.Record(registryPath, run, console);
        }
    }

    private TrainResult TrainLocked(RunFolder run, TextWriter console, Checkpoint? resumeFrom, CancellationToken stop)
    {
        try
        {
            return TrainAndEvaluate(run, console, resumeFrom, stop);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Disk full, a folder made read-only: checkpoints are replaced atomically, so the last one stays valid.
            var next = run.HasCheckpoint
                ? "Its last checkpoint stays valid: fix the cause, then resume the run."
                : "It has no checkpoint yet: fix the cause, then train it again.";
            throw new UserInputException($"Writing run folder {run.Path} failed: {ex.Message.TrimEnd('.')}. {next}", ex);
        }
    }

    private TrainResult TrainAndEvaluate(RunFolder run, TextWriter console, Checkpoint? resumeFrom, CancellationToken stop)
    {
        var c = Config;
        var actor = ActorFactory.Create(Architecture, (ulong)c.Seed, c.Actor);
        var options = c.Options;
        var numUpdates = c.NumUpdates();
        var every = c.CheckpointInterval();
        var parameters = new Checkpoint();
        ProgressPrinter progress;
        int updates;
        long envSteps;
        ObservationNormalizer? normalizer;
        using (var envs = new EnvStepCounter(EnvFactory.CreateVector(c.Env, options.NumEnvs, (uint)c.Seed, c.Tau, Math.Min(c.Threads, options.NumEnvs))))
        using (var workers = c.Threads > 1 ? new WorkerPool(c.Threads) : null)
        using (var trainer = Algorithms.Create(c, envs, actor, Architecture, ObservationSpace))
        {
            // Acting and updates take turns, so the updates' network kernels use the same threads as the envs.
            trainer.Workers = workers;
            trainer.KeepStateBeside(run.CheckpointPath);
            normalizer = trainer.ObservationNormalizer;
            var periodic = c.EvalEvery > 0 ? new PeriodicEvaluation(this, run.BestParametersPath) : null;
            var (metricsLength, startSeconds) = resumeFrom is null ? (0L, 0.0) : Restore(trainer, periodic, resumeFrom, numUpdates, console);
            if (resumeFrom is not null)
            {
                // A checkpoint of an earlier PipeRL holds no count: it reported ticks x k, as it goes on to.
                envs.EnvSteps = resumeFrom.Integers.TryGetValue(EnvStepsKey, out var taken) && taken.Length == 1 ? taken[0] : c.EnvSteps(trainer.Ticks);
            }

            progress = new ProgressPrinter(console, c.TrainTicks(), DelayTicks, c.Tau) { StartSeconds = startSeconds };
            IReadOnlyList<string> statNames = periodic is null ? trainer.StatNames : [.. trainer.StatNames, .. MetricsWriter.EvaluationColumns];
            using var metrics = resumeFrom is null ? new MetricsWriter(run.MetricsPath, statNames) : ContinueMetrics(run, metricsLength);
            // One checkpoint for the whole run, overwritten in place, so saving leaves no garbage for the GC to keep.
            var checkpoint = new Checkpoint();
            void SaveCheckpoint()
            {
                trainer.SaveState(checkpoint);
                periodic?.SaveState(checkpoint);
                checkpoint.SetIntegers(EnvStepsKey, [envs.EnvSteps]);
                checkpoint.SetIntegers(RunKey, [metrics.Length, (long)(progress.ElapsedSeconds * 1000)]);
                RunBinding.Add(checkpoint, run);
                checkpoint.Save(run.CheckpointPath);
            }

            trainer.Observer = new RunObserver(metrics, progress, c, () => envs.EnvSteps, (tick, update) =>
            {
                if (periodic is not null && periodic.IsDue(tick))
                {
                    var (s, g) = periodic.Run(trainer);
                    metrics.Evaluation(tick, envs.EnvSteps, progress.ElapsedSeconds, s.Mean, g.Mean);
                    console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Evaluation at tick {tick:N0} over {c.EvalEveryEpisodes} episodes: sampled {s.Mean:0.00} ± {s.Std:0.00}, greedy {g.Mean:0.00} ± {g.Std:0.00} (best sampled {periodic.BestSampled:0.00})"));
                }

                if (update % every == 0 && update < numUpdates)
                {
                    SaveCheckpoint();
                }
            });
            if (trainer.Updates < numUpdates)
            {
                using (stop.Register(trainer.RequestStop))
                {
                    trainer.Train(c.TrainTicks());
                }

                // At the end of training too, so that a run stopped during the final evaluation resumes into it.
                SaveCheckpoint();
            }

            progress.Report(trainer.Ticks, envs.EnvSteps, force: true);
            updates = trainer.Updates;
            envSteps = envs.EnvSteps;
            if (updates < numUpdates)
            {
                console.WriteLine($"Stopped after update {updates}/{numUpdates} (tick {trainer.Ticks:N0}); checkpoint and metrics saved.");
                throw new TrainingStoppedException(run, updates, numUpdates);
            }

            trainer.AddParameters(parameters);
        }

        var trainSeconds = progress.ElapsedSeconds;
        EvaluationResult sampled, greedy;
        try
        {
            (sampled, greedy) = Evaluate(c, actor, c.EvalEpisodes, normalizer, stop);
        }
        catch (OperationCanceledException)
        {
            console.WriteLine("Stopped during the final evaluation; training is complete and checkpointed, and resuming runs the evaluation.");
            throw new TrainingStoppedException(run, updates, numUpdates);
        }

        var summary = RunSummary.Of(c, DelayTicks, envSteps, trainSeconds, sampled, greedy);
        AtomicFile.WriteAllText(run.EvaluationPath, JsonSerializer.Serialize(summary, ConfigJson.ReportOptions) + "\n");
        AtomicFile.WriteAllText(run.SummaryPath, summary.ToMarkdown());

        // Written last: final.params marks a finished run, evaluation included. The run resumes no more, so a replay
        // kept beside its checkpoint goes.
        parameters.Save(run.ParametersPath);
        ITrainer.DeleteStateBeside(run.CheckpointPath);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Evaluation over {c.EvalEpisodes} episodes: sampled {sampled.Mean:0.00} ± {sampled.Std:0.00}, greedy {greedy.Mean:0.00} ± {greedy.Std:0.00} (trained in {ProgressPrinter.FormatDuration(trainSeconds)})"));
        return new TrainResult(run, summary);
    }

    private static MetricsWriter ContinueMetrics(RunFolder run, long length)
    {
        try
        {
            return MetricsWriter.Continue(run.MetricsPath, length);
        }
        catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException)
        {
            throw new UserInputException($"Cannot resume: {ex.Message}", ex);
        }
    }

    /// <summary>Loads the trainer's state (and the best evaluation score when the run evaluates during training) from <paramref name="checkpoint"/>; returns the metrics length and training seconds it recorded.</summary>
    private static (long MetricsLength, double Seconds) Restore(ITrainer trainer, PeriodicEvaluation? periodic, Checkpoint checkpoint, int numUpdates, TextWriter console)
    {
        try
        {
            var restored = trainer.LoadState(checkpoint);
            periodic?.LoadState(checkpoint);
            var run = checkpoint.GetIntegers(RunKey);
            if (run.Length != 2 || run[0] <= 0 || run[1] < 0 || trainer.Updates > numUpdates)
            {
                throw new InvalidDataException($"Checkpoint {checkpoint.SourcePath} does not belong to this run's config.");
            }

            console.WriteLine(trainer.Updates == numUpdates
                ? $"Resumed after the last update ({numUpdates}/{numUpdates}, tick {trainer.Ticks:N0}); running the final evaluation."
                : $"Resumed at update {trainer.Updates}/{numUpdates} (tick {trainer.Ticks:N0}): {restored}.");
            return (run[0], run[1] / 1000.0);
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or KeyNotFoundException)
        {
            throw new UserInputException($"Cannot resume: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Evaluates <paramref name="actor"/> for <paramref name="episodes"/> episodes, sampled then greedy, on envs seeded
    /// apart from training, standardising observations with <paramref name="normalizer"/>'s statistics (frozen) when the
    /// actor was trained on standardised ones; cancelling <paramref name="stop"/> ends it at the next tick with an
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    public static (EvaluationResult Sampled, EvaluationResult Greedy) Evaluate(TrainConfig config, IActorNetwork actor, int episodes, ObservationNormalizer? normalizer = null, CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (episodes == 0)
        {
            return (new EvaluationResult(false, [], 0), new EvaluationResult(true, [], 0));
        }

        var seed = config.Seed + 1_000_000;
        // The episode cap counts env steps, so tau = 1/m evaluates whole episodes of m ticks per step.
        var maxTicks = (int)Math.Min(int.MaxValue, Math.Max(1, (long)PolicyEvaluator.DefaultMaxTicks * config.Tau.TicksPerEnvStep / config.Tau.EnvStepsPerTick));
        using var sampledEnvs = new StoppableVectorEnv(EnvFactory.CreateVector(config.Env, episodes, (uint)seed, config.Tau, config.Threads), stop);
        var policy = Algorithms.EvaluationPolicy(config, sampledEnvs.SingleActionSpace);
        var sampled = PolicyEvaluator.Run(sampledEnvs, actor, greedy: false, seed, maxTicks, config.Actor.HistoryWindow, policy, normalizer);
        using var greedyEnvs = new StoppableVectorEnv(EnvFactory.CreateVector(config.Env, episodes, (uint)seed, config.Tau, config.Threads), stop);
        var greedy = PolicyEvaluator.Run(greedyEnvs, actor, greedy: true, seed, maxTicks, config.Actor.HistoryWindow, policy, normalizer);
        return (sampled, greedy);
    }

    private sealed class RunObserver(MetricsWriter metrics, ProgressPrinter progress, TrainConfig config, Func<long> envStepsTaken, Action<long, int> afterUpdate) : ITrainingObserver
    {
        public void OnEpisode(long tick, double episodeReturn, long episodeTicks)
        {
            progress.Episode(episodeReturn);
            metrics.Episode(tick, envStepsTaken(), progress.ElapsedSeconds, episodeReturn, episodeTicks);
        }

        public void OnUpdate(long tick, UpdateStats stats)
        {
            var seconds = progress.ElapsedSeconds;
            var envSteps = envStepsTaken();
            metrics.Update(tick, envSteps, seconds, stats, seconds > 0 ? envSteps / seconds : 0);
            progress.Report(tick, envSteps);
            afterUpdate(tick, (int)(tick / config.Options.TicksPerUpdate));
        }
    }
}
