using PipeRL.Experiments.Configs;

namespace PipeRL.Experiments.Runs;

/// <summary>One run's folder: resolved config, metrics, latest checkpoint, final parameters, evaluation, summary.</summary>
public sealed class RunFolder
{
    /// <summary>Opens the run folder at <paramref name="path"/> (which may not exist yet).</summary>
    public RunFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The run's name (the folder's name).</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>The resolved config, JSON.</summary>
    public string ConfigPath => System.IO.Path.Combine(Path, "config.json");

    /// <summary>The metrics, CSV (one row per update and per finished episode).</summary>
    public string MetricsPath => System.IO.Path.Combine(Path, "metrics.csv");

    /// <summary>The final actor and critic parameters.</summary>
    public string ParametersPath => System.IO.Path.Combine(Path, "final.params");

    /// <summary>The parameters of the best evaluation during training (final.params's format), replaced atomically.</summary>
    public string BestParametersPath => System.IO.Path.Combine(Path, "best.params");

    /// <summary>The latest checkpoint of training (parameters, optimizer, counters, random state), replaced atomically.</summary>
    public string CheckpointPath => System.IO.Path.Combine(Path, "checkpoint.ckpt");

    /// <summary>The final evaluation, JSON.</summary>
    public string EvaluationPath => System.IO.Path.Combine(Path, "evaluation.json");

    /// <summary>The run's identity, a random id written when the folder is created; checkpoints are bound to it.</summary>
    public string IdentityPath => System.IO.Path.Combine(Path, "run.id");

    /// <summary>A human-readable summary, Markdown.</summary>
    public string SummaryPath => System.IO.Path.Combine(Path, "summary.md");

    /// <summary>Whether the folder holds a saved config.</summary>
    public bool HasConfig => File.Exists(ConfigPath);

    /// <summary>Whether training saved a checkpoint.</summary>
    public bool HasCheckpoint => File.Exists(CheckpointPath);

    /// <summary>Whether training and the final evaluation finished (final.params is written last).</summary>
    public bool HasParameters => File.Exists(ParametersPath);

    /// <summary>Gives the new run folder its identity (a random id, unrelated to the run's seeded random sources).</summary>
    public void WriteIdentity() => AtomicFile.WriteAllText(IdentityPath, Guid.NewGuid().ToString("D") + "\n");

    /// <summary>The run's identity, or null when the folder has none (written by an earlier PipeRL) or it is unreadable.</summary>
    public Guid? ReadIdentity() => File.Exists(IdentityPath) && Guid.TryParse(File.ReadAllText(IdentityPath).Trim(), out var id) ? id : null;

    /// <summary>Writes the resolved config atomically.</summary>
    public void WriteConfig(TrainConfig config) => AtomicFile.WriteAllText(ConfigPath, ConfigJson.Serialize(config) + "\n");

    /// <summary>Reads the saved config.</summary>
    public TrainConfig ReadConfig() => ConfigJson.Load(ConfigPath);
}
