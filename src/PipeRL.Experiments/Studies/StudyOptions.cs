namespace PipeRL.Experiments.Studies;

/// <summary>
/// What <c>piperl study</c> trains: every architecture on every env for every seed, at τ = 1. The defaults are the
/// delay study of the project's MinAtar results: two games, the undelayed, plain pipelined and skip-and-augmentation
/// actors, two seeds, 2M ticks each.
/// </summary>
public sealed record StudyOptions
{
    /// <summary>The envs.</summary>
    public IReadOnlyList<string> Envs { get; init; } = ["minatar/breakout", "minatar/space_invaders"];

    /// <summary>The architectures compared; <c>instant</c> is the baseline each env's returns are normalised by.</summary>
    public IReadOnlyList<string> Architectures { get; init; } = ["instant", "pipelined", "temporal-skip-aug"];

    /// <summary>The seeds; each (env, architecture) pair is trained once per seed.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [1, 2];

    /// <summary>Training ticks per run (τ = 1, so also env steps).</summary>
    public long Steps { get; init; } = 2_000_000;

    /// <summary>The hyperparameter preset of every run.</summary>
    public string Preset { get; init; } = "small";

    /// <summary>Evaluation episodes per run (sampled and greedy).</summary>
    public int EvalEpisodes { get; init; } = 100;

    /// <summary>Threads stepping each run's environments.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Runs trained at the same time (each on its own thread); by default one per core, at most 4.</summary>
    public int Parallel { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);
}
