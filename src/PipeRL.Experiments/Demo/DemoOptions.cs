using PipeRL.Experiments.Studies;
using PipeRL.Pipeline.Analysis;

namespace PipeRL.Experiments.Demo;

/// <summary>
/// What <c>piperl demo</c> trains, a preset of <c>piperl study</c>: each architecture on one env at τ = 1 with the small
/// network. Space Invaders by default, where the cost of delay shows within the budget; on Breakout every actor
/// plateaus near 6 because sticky actions cap the score, so delayed actors end level with the undelayed one.
/// </summary>
public sealed record DemoOptions
{
    /// <summary>The architectures compared, the undelayed baseline first.</summary>
    public static IReadOnlyList<string> Architectures { get; } = ["instant", "sequential", "pipelined", "temporal-skip-aug"];

    /// <summary>The study folder's name under the runs folder.</summary>
    public string Name { get; init; } = "demo";

    /// <summary>The env.</summary>
    public string Env { get; init; } = "minatar/space_invaders";

    /// <summary>Training ticks per architecture; the default took 10 minutes for all four (setup included) on a 2-core machine at load 2.</summary>
    public long Steps { get; init; } = 2_000_000;

    /// <summary>The seed of every run.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Evaluation episodes per run (sampled and greedy).</summary>
    public int EvalEpisodes { get; init; } = 100;

    /// <summary>Threads stepping each run's environments.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Runs trained at the same time (one process each); by default one per core, at most 4.</summary>
    public int Parallel { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>The demo as the study it is.</summary>
    public StudySpec ToStudy() => new()
    {
        Name = Name,
        Envs = [Env],
        Archs = [.. Architectures.Select(StudyArch.Of)],
        Taus = [Tau.One],
        Seeds = [Seed],
        Steps = Steps,
        Preset = "small",
        EvalEpisodes = EvalEpisodes,
        Threads = Threads,
        Parallel = Parallel,
    };
}
