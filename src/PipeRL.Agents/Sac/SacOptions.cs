using System.ComponentModel;
using PipeRL.Agents.Replay;

namespace PipeRL.Agents.Sac;

/// <summary>
/// Every SAC hyperparameter. The defaults are the authors' MuJoCo settings (CleanRL's <c>sac_continuous_action.py</c>
/// as their <c>train_sac.py</c> runs it); <see cref="MinAtar"/> is the workshop version's discrete SAC. The
/// <see cref="DescriptionAttribute"/> texts are the CLI help of the matching <c>--kebab-case</c> options.
/// </summary>
public sealed record SacOptions : ITrainerOptions
{
    /// <summary>The authors' MuJoCo SAC (preset <c>mujoco-sac</c>).</summary>
    public static SacOptions MuJoCo { get; } = new();

    /// <summary>The workshop version's discrete SAC on MinAtar (preset <c>minatar-dsac</c>): batch 64, Q every 4 ticks, actor every 8, hard target copy every 8,000.</summary>
    public static SacOptions MinAtar { get; } = new()
    {
        LearningStarts = 20_000,
        BatchSize = 64,
        TargetUpdateRate = 1f,
        TargetNetworkFrequency = 8_000,
        UpdateFrequency = 4,
        PolicyFrequency = 8,
        PolicyIterations = 1,
        PolicyLearningRate = 3e-4f,
        QLearningRate = 3e-4f,
        AlphaLearningRate = 3e-4f,
        AdamEpsilon = 1e-4f,
        TargetEntropyScale = 0.89f * 0.5f,
    };

    /// <summary>
    /// <see cref="MinAtar"/> for CPU budgets (preset <c>minatar-dsac-small</c>): the small networks (conv 16 + dense 128)
    /// and a replay of 100,000 transitions (a replay file of 160 MB for Breakout instead of 1.6 GB).
    /// </summary>
    public static SacOptions MinAtarSmall { get; } = MinAtar with { Network = NetworkSize.Small, BufferSize = 100_000 };

    /// <summary>Ticks of uniformly random actions before learning starts.</summary>
    [Description("Ticks of uniformly random actions before learning starts.")]
    public int LearningStarts { get; init; } = 10_000;

    /// <summary>Transitions the replay keeps.</summary>
    [Description("Transitions the replay keeps.")]
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Windows per gradient step.</summary>
    [Description("Replayed windows per gradient step.")]
    public int BatchSize { get; init; } = 256;

    /// <summary>Discount factor per tick.</summary>
    [Description("Discount factor per tick.")]
    public float Gamma { get; init; } = 0.99f;

    /// <summary>The Polyak coefficient of the target critics (1 is a hard copy).</summary>
    [Description("Polyak coefficient of the target critics (1: hard copy).")]
    public float TargetUpdateRate { get; init; } = 0.005f;

    /// <summary>Ticks between target-critic updates.</summary>
    [Description("Ticks between target-critic updates.")]
    public int TargetNetworkFrequency { get; init; } = 1;

    /// <summary>Ticks between critic updates.</summary>
    [Description("Ticks between critic updates.")]
    public int UpdateFrequency { get; init; } = 1;

    /// <summary>Ticks between actor (and temperature) updates; a multiple of the update frequency.</summary>
    [Description("Ticks between actor and temperature updates (a multiple of update-frequency).")]
    public int PolicyFrequency { get; init; } = 2;

    /// <summary>Actor updates at each actor update, on the same batch (the authors: 2 for MuJoCo, making up for the frequency).</summary>
    [Description("Actor updates each time, on the same batch (the authors: 2 for MuJoCo).")]
    public int PolicyIterations { get; init; } = 2;

    /// <summary>The actor's Adam learning rate.</summary>
    [Description("Actor Adam learning rate.")]
    public float PolicyLearningRate { get; init; } = 3e-4f;

    /// <summary>The critics' Adam learning rate.</summary>
    [Description("Critics' Adam learning rate.")]
    public float QLearningRate { get; init; } = 1e-3f;

    /// <summary>The temperature's Adam learning rate.</summary>
    [Description("Temperature (log alpha) Adam learning rate.")]
    public float AlphaLearningRate { get; init; } = 1e-3f;

    /// <summary>Adam's epsilon for every optimizer.</summary>
    [Description("Adam epsilon for every optimizer.")]
    public float AdamEpsilon { get; init; } = 1e-8f;

    /// <summary>Whether the temperature is tuned towards the target entropy (from log α = 0).</summary>
    [Description("Tune the temperature towards the target entropy (from log alpha = 0).")]
    public bool Autotune { get; init; } = true;

    /// <summary>The fixed temperature when not tuned.</summary>
    [Description("Fixed temperature when not tuned.")]
    public float Alpha { get; init; } = 0.2f;

    /// <summary>The target entropy's scale: −scale · |A| for continuous actions, scale · ln |A| for discrete ones.</summary>
    [Description("Target entropy scale: -scale x |A| (continuous), scale x ln|A| (discrete).")]
    public float TargetEntropyScale { get; init; } = 1f;

    /// <summary>How a time-limit cut is treated: bootstrapped (PipeRL) or terminal (the authors).</summary>
    [Description("Time-limit cuts: bootstrap (from the observation the episode was cut in) or terminal (the authors).")]
    public TruncationHandling Truncation { get; init; } = TruncationHandling.Bootstrap;

    /// <summary>Ticks a replayed window adds before the actor's receptive window.</summary>
    [Description("Extra ticks a replayed window adds before the actor's receptive window.")]
    public int WarmUp { get; init; }

    /// <summary>The actor's and the critics' size.</summary>
    [Description("Actor and critic size: paper (MLP 256-256; CNN 32-64-64 + 512) or small (MLP 64-64; conv 16 + 128).")]
    public NetworkSize Network { get; init; } = NetworkSize.Paper;

    /// <summary>Ticks between two reported updates: a metrics row of the means over the interval's updates, and the unit of checkpoint intervals.</summary>
    [Description("Ticks between update rows in the metrics (means over the interval's gradient steps); also the unit of checkpoint-every.")]
    public int ReportInterval { get; init; } = 1_000;

    /// <inheritdoc/>
    int ITrainerOptions.NumEnvs => 1;

    /// <inheritdoc/>
    long ITrainerOptions.TicksPerUpdate => ReportInterval;

    /// <inheritdoc/>
    string ITrainerOptions.UpdateDescription => $"a report interval of {ReportInterval} ticks";

    /// <summary>Throws with a message naming the first invalid setting.</summary>
    public void Validate()
    {
        Require(LearningStarts >= 0, "learning-starts must not be negative");
        Require(BatchSize >= 1, "batch-size must be at least 1");
        Require(BufferSize >= 2 * BatchSize, "buffer-size must hold at least two batches");
        Require(Gamma is >= 0 and <= 1, "gamma must lie in [0, 1]");
        Require(TargetUpdateRate is > 0 and <= 1, "target-update-rate must lie in (0, 1]");
        Require(TargetNetworkFrequency >= 1, "target-network-frequency must be at least 1");
        Require(UpdateFrequency >= 1, "update-frequency must be at least 1");
        Require(PolicyFrequency >= 1 && PolicyFrequency % UpdateFrequency == 0, "policy-frequency must be a positive multiple of update-frequency");
        Require(PolicyIterations >= 1, "policy-iterations must be at least 1");
        Require(PolicyLearningRate > 0 && float.IsFinite(PolicyLearningRate), "policy-learning-rate must be positive");
        Require(QLearningRate > 0 && float.IsFinite(QLearningRate), "q-learning-rate must be positive");
        Require(AlphaLearningRate > 0 && float.IsFinite(AlphaLearningRate), "alpha-learning-rate must be positive");
        Require(AdamEpsilon > 0, "adam-epsilon must be positive");
        Require(Alpha >= 0 && float.IsFinite(Alpha), "alpha must not be negative");
        Require(float.IsFinite(TargetEntropyScale), "target-entropy-scale must be finite");
        Require(WarmUp >= 0, "warm-up must not be negative");
        Require(ReportInterval >= 1, "report-interval must be at least 1");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"Invalid SAC option: {message}.");
        }
    }
}
