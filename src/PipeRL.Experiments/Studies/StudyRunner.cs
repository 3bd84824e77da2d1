using System.Globalization;
using System.Text.Json.Nodes;
using PipeRL.Experiments.Configs;
using PipeRL.Experiments.Registry;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Training;

namespace PipeRL.Experiments.Studies;

/// <summary>
/// <c>piperl study</c>: trains every run of a <see cref="StudySpec"/> into its study folder, a few processes at a time,
/// and reports the finished ones. Rerunning a study skips its finished runs and resumes the others from their last
/// checkpoint; a stop request stops the running ones cleanly (each saves a checkpoint) and starts no more.
/// </summary>
public static class StudyRunner
{
    private static readonly string[] FixedKeys = ["name", "env", "arch", "tau", "seed"];

    /// <summary>Every run of <paramref name="spec"/>, validated (so a bad name or override fails before anything is written).</summary>
    public static IReadOnlyList<StudyEntry> Plan(StudySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var entries = new List<StudyEntry>();
        foreach (var env in spec.Envs)
        {
            foreach (var arch in spec.Archs)
            {
                foreach (var tau in spec.Taus)
                {
                    foreach (var seed in spec.Seeds)
                    {
                        entries.Add(new StudyEntry(arch.Label, TrainPlan.Prepare(Config(spec, env, arch, tau, seed))));
                    }
                }
            }
        }

        return entries;
    }

    /// <summary>
    /// Trains the runs of <paramref name="spec"/> that have not finished into <c>NAME</c> under <paramref name="store"/>,
    /// <see cref="StudySpec.Parallel"/> at a time through <paramref name="launch"/>, then writes the report.
    /// </summary>
    public static StudyOutcome Run(StudySpec spec, RunStore store, TextWriter console, RunLauncher launch, CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(launch);
        var (folder, runs) = Prepare(spec, store, console);
        var finished = runs.Where(IsFinished).ToList();
        var busy = runs.Where(r => !finished.Contains(r) && RunLock.IsHeld(r)).ToList();
        var pending = runs.Where(r => !finished.Contains(r) && !busy.Contains(r)).ToList();
        var resumable = pending.Count(r => r.HasCheckpoint);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Study {spec.Name}: {runs.Count} runs in {folder}; {finished.Count} finished, {resumable} to resume from a checkpoint, {pending.Count - resumable} to start{(busy.Count > 0 ? $", {busy.Count} being trained by another process (left alone)" : string.Empty)}; {spec.Parallel} at a time."));
        var codes = Launch(pending, console, launch, spec.Parallel, stop);
        var failed = new List<string>();
        for (var i = 0; i < pending.Count; i++)
        {
            if (codes[i] is { } code && code is not (0 or 130 or 143))
            {
                failed.Add($"{pending[i].Name} (exit {code})");
            }
        }

        var stopped = codes.Count(c => c is 130 or 143 or null);
        var (done, unfinished) = StudyRun.LoadAll(folder);
        var table = done.Count > 0 ? StudyReport.Write(folder, done, unfinished) : null;
        return new StudyOutcome(folder, finished.Count, codes.Count(c => c == 0), stopped, failed, busy.Count, table);
    }

    /// <summary>
    /// Creates the study folder of <paramref name="spec"/> under <paramref name="store"/> and the folder and config of
    /// each of its runs that has none yet (indexed in the registry), after checking that runs already there were made
    /// with the same config. Returns the study folder and its runs in plan order.
    /// </summary>
    public static (string Folder, IReadOnlyList<RunFolder> Runs) Prepare(StudySpec spec, RunStore store, TextWriter console)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(console);
        var entries = Plan(spec);
        var folder = Path.Combine(store.Root, spec.Name);
        var runs = entries.Select(e => new RunFolder(Path.Combine(folder, e.Name))).ToList();
        for (var i = 0; i < entries.Count; i++)
        {
            RequireSameConfig(runs[i], entries[i].Plan.Config, spec.Name);
        }

        Directory.CreateDirectory(folder);
        StudyManifest.Add(folder, entries);
        for (var i = 0; i < runs.Count; i++)
        {
            if (!runs[i].HasConfig)
            {
                Directory.CreateDirectory(runs[i].Path);
                runs[i].WriteConfig(entries[i].Plan.Config);
                RunProvenance.Current(DateTimeOffset.UtcNow).Write(runs[i]);
                RunRegistry.Record(store.RegistryPath, runs[i], console);
            }
        }

        return (folder, runs);
    }

    /// <summary>Whether <paramref name="run"/> has trained to the end and been evaluated.</summary>
    public static bool IsFinished(RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.HasParameters && File.Exists(run.EvaluationPath);
    }

    /// <summary>
    /// Indexes every run folder of the study <paramref name="folder"/> in its registry as it is now (runs trained
    /// elsewhere, such as by a Slurm array) and rewrites the report of the finished ones; returns the report's table,
    /// or null when none has finished.
    /// </summary>
    public static string? Gather(string folder, TextWriter console)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (!Directory.Exists(folder))
        {
            throw new UserInputException($"study folder {folder} does not exist; give the folder 'piperl study' wrote (runs/NAME).");
        }

        var runs = Directory.GetDirectories(folder).Select(d => new RunFolder(d)).Where(r => r.HasConfig).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        if (runs.Count == 0)
        {
            throw new UserInputException($"{folder} holds no run folders; give the folder 'piperl study' wrote (runs/NAME).");
        }

        foreach (var run in runs)
        {
            RunRegistry.Record(RunRegistry.PathFor(run), run, console);
        }

        var (done, unfinished) = StudyRun.LoadAll(folder);
        return done.Count > 0 ? StudyReport.Write(folder, done, unfinished) : null;
    }

    /// <summary>(Re)writes the report of the finished runs in <paramref name="folder"/> and returns its table.</summary>
    public static string Report(string folder)
    {
        var (runs, unfinished) = StudyRun.LoadAll(folder);
        return StudyReport.Write(folder, runs, unfinished);
    }

    /// <summary>Trains a prepared run folder in this process (the launcher for tests and for callers without a <c>piperl</c> executable).</summary>
    public static int InProcess(RunFolder run, TextWriter console, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            TrainPlan.Prepare(run.ReadConfig()).Resume(run, console, stop);
            return 0;
        }
        catch (TrainingStoppedException)
        {
            return 130;
        }
    }

    // Exit codes in the order of runs; null for a run never started because a stop was asked first.
    private static int?[] Launch(List<RunFolder> runs, TextWriter console, RunLauncher launch, int parallel, CancellationToken stop)
    {
        var codes = new int?[runs.Count];
        var gate = new object();
        var width = runs.Count == 0 ? 0 : runs.Max(r => r.Name.Length);
        using var slots = new SemaphoreSlim(parallel);
        var tasks = runs.Select((run, i) => Task.Run(() =>
        {
            slots.Wait(CancellationToken.None);
            try
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                using var writer = new PrefixedWriter(console, $"[{run.Name.PadRight(width)}] ", gate);
                codes[i] = launch(run, writer, stop);
            }
            finally
            {
                slots.Release();
            }
        }, CancellationToken.None)).ToArray();
        Task.WaitAll(tasks, CancellationToken.None);
        return codes;
    }

    private static TrainConfig Config(StudySpec spec, string env, StudyArch arch, Pipeline.Analysis.Tau tau, int seed)
    {
        var name = $"{env.Replace('/', '-')}_{arch.Label}_tau{tau.ToString().Replace('/', '-')}_s{seed}";
        var json = new JsonObject
        {
            ["algo"] = spec.Algo,
            ["steps"] = spec.Steps,
            ["evalEpisodes"] = spec.EvalEpisodes,
            ["threads"] = spec.Threads,
        };
        if (spec.Preset is not null)
        {
            json["preset"] = spec.Preset;
        }

        foreach (var overrides in new[] { spec.Overrides, arch.Overrides })
        {
            var fixedKey = overrides?.Select(p => p.Key).FirstOrDefault(FixedKeys.Contains);
            if (fixedKey is not null)
            {
                throw new UserInputException($"Study {spec.Name}: overrides may not set '{fixedKey}' (the study sets name, env, arch, tau and seed of each run).");
            }

            if (overrides is not null)
            {
                ConfigResolver.Merge(json, overrides);
            }
        }

        json["name"] = name;
        json["env"] = env;
        json["arch"] = arch.Arch;
        json["tau"] = tau.TicksPerEnvStep == 1 ? JsonValue.Create(tau.EnvStepsPerTick) : JsonValue.Create(tau.ToString());
        json["seed"] = seed;
        return ConfigResolver.Resolve(null, json, $"of study {spec.Name}, run {name}");
    }

    private static void RequireSameConfig(RunFolder run, TrainConfig planned, string study)
    {
        if (!run.HasConfig)
        {
            return;
        }

        var saved = ConfigJson.Serialize(run.ReadConfig());
        var wanted = ConfigJson.Serialize(planned);
        if (saved != wanted)
        {
            var a = JsonNode.Parse(saved)!.AsObject();
            var b = JsonNode.Parse(wanted)!.AsObject();
            var key = b.Select(p => p.Key).FirstOrDefault(k => !JsonNode.DeepEquals(a[k], b[k])) ?? "?";
            throw new UserInputException($"Run {run.Path} exists with another config ('{key}': {a[key]?.ToJsonString()} there, {b[key]?.ToJsonString()} now); give the study another name or delete that folder.");
        }
    }
}
