using System.Globalization;
using PipeRL.Experiments.Runs;
using PipeRL.Experiments.Studies;

namespace PipeRL.Experiments.Registry;

/// <summary>One run as the registry indexes it, read from its folder (the source of truth).</summary>
public sealed record RunRecord
{
    /// <summary>The run folder, relative to the registry's folder with '/' separators.</summary>
    public required string Path { get; init; }

    /// <summary>The run's name (its folder's name).</summary>
    public required string Name { get; init; }

    /// <summary>The study folder the run belongs to (relative to the registry), or empty for a run directly under it.</summary>
    public string Study { get; init; } = string.Empty;

    /// <summary>The env id.</summary>
    public required string Env { get; init; }

    /// <summary>The actor architecture.</summary>
    public required string Arch { get; init; }

    /// <summary>τ as the config writes it (<c>2</c>, <c>1/4</c>).</summary>
    public required string Tau { get; init; }

    /// <summary>The seed.</summary>
    public int Seed { get; init; }

    /// <summary>The algorithm.</summary>
    public required string Algo { get; init; }

    /// <summary>The hyperparameter preset.</summary>
    public required string Preset { get; init; }

    /// <summary>The training budget in ticks.</summary>
    public long Steps { get; init; }

    /// <summary><c>finished</c>, <c>running</c>, <c>interrupted</c> (a checkpoint to resume from) or <c>new</c> (nothing saved yet).</summary>
    public required string Status { get; init; }

    /// <summary>The resolved config, JSON.</summary>
    public required string Config { get; init; }

    /// <summary>PipeRL's version, or empty when the run did not record it.</summary>
    public string Version { get; init; } = string.Empty;

    /// <summary>The commit PipeRL was built from, or empty.</summary>
    public string GitCommit { get; init; } = string.Empty;

    /// <summary>The command that started the run, or empty.</summary>
    public string CommandLine { get; init; } = string.Empty;

    /// <summary>When the run started (ISO 8601, UTC).</summary>
    public required string StartedUtc { get; init; }

    /// <summary>When the folder last changed (ISO 8601, UTC).</summary>
    public required string UpdatedUtc { get; init; }

    /// <summary>Training ticks of a finished run.</summary>
    public long? Ticks { get; init; }

    /// <summary>Env steps of a finished run.</summary>
    public long? EnvSteps { get; init; }

    /// <summary>Training wall time of a finished run, seconds.</summary>
    public double? TrainSeconds { get; init; }

    /// <summary>The actor's minimum delay in ticks (finished runs).</summary>
    public int? DelayTicks { get; init; }

    /// <summary>Mean evaluation return, sampled actions.</summary>
    public double? SampledMean { get; init; }

    /// <summary>Standard deviation of the sampled evaluation returns.</summary>
    public double? SampledStd { get; init; }

    /// <summary>Mean evaluation return, greedy actions.</summary>
    public double? GreedyMean { get; init; }

    /// <summary>Standard deviation of the greedy evaluation returns.</summary>
    public double? GreedyStd { get; init; }

    /// <summary>Reads <paramref name="run"/>, a folder with a config, into a record whose path is relative to <paramref name="registryFolder"/>.</summary>
    public static RunRecord Read(RunFolder run, string registryFolder)
    {
        ArgumentNullException.ThrowIfNull(run);
        var config = run.ReadConfig();
        var relative = System.IO.Path.GetRelativePath(registryFolder, run.Path).Replace('\\', '/');
        var parent = System.IO.Path.GetDirectoryName(relative.Replace('/', System.IO.Path.DirectorySeparatorChar))?.Replace('\\', '/') ?? string.Empty;
        var provenance = RunProvenance.Read(run);
        var finished = StudyRun.Load(run);
        var status = finished is not null ? "finished"
            : RunLock.IsHeld(run) ? "running"
            : run.HasCheckpoint ? "interrupted"
            : "new";
        var files = Directory.GetFiles(run.Path).Select(File.GetLastWriteTimeUtc).ToList();
        return new RunRecord
        {
            Path = relative,
            Name = run.Name,
            Study = parent,
            Env = config.Env,
            Arch = config.Arch,
            Tau = config.Tau.ToString(),
            Seed = config.Seed,
            Algo = config.Algo,
            Preset = config.Preset,
            Steps = config.Steps,
            Status = status,
            Config = File.ReadAllText(run.ConfigPath).TrimEnd(),
            Version = provenance?.Version ?? string.Empty,
            GitCommit = provenance?.GitCommit ?? string.Empty,
            CommandLine = provenance?.CommandLine ?? string.Empty,
            StartedUtc = provenance?.StartedUtc ?? Iso(File.GetLastWriteTimeUtc(run.ConfigPath)),
            UpdatedUtc = Iso(files.Count > 0 ? files.Max() : Directory.GetLastWriteTimeUtc(run.Path)),
            Ticks = finished?.Summary.Ticks,
            EnvSteps = finished?.Summary.EnvSteps,
            TrainSeconds = finished?.Summary.TrainSeconds,
            DelayTicks = finished?.Summary.DelayTicks,
            SampledMean = finished?.Summary.Sampled.Mean,
            SampledStd = finished?.Summary.Sampled.Std,
            GreedyMean = finished?.Summary.Greedy.Mean,
            GreedyStd = finished?.Summary.Greedy.Std,
        };
    }

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
