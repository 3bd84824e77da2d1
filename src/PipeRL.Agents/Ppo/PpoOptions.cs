using System.ComponentModel;
using PipeRL.Agents.Normalization;
using System.Text.Json.Serialization;

namespace PipeRL.Agents.Ppo;

/// <summary>
/// Every PPO hyperparameter. The defaults are the paper's MinAtar settings (the authors' <c>train_ppo.py</c>); the
/// <see cref="DescriptionAttribute"/> texts are the CLI help of the matching <c>--kebab-case</c> options.
/// </summary>
public sealed record PpoOptions : ITrainerOptions
{
    /// <summary>The paper's settings: 32 envs × 32 steps, 4 epochs, lr 2.5e-4 annealed, clip 0.1, paper-sized network, paper update scheme.</summary>
    public static PpoOptions Paper { get; } = new() { UpdateScheme = PpoUpdateScheme.Paper, Network = NetworkSize.Paper };

    /// <summary>The paper's PPO settings with the small network and the minibatch scheme, for quick runs.</summary>
    public static PpoOptions Small { get; } = new() { Network = NetworkSize.Small };

    /// <summary>
    /// CleanRL's <c>ppo_continuous_action</c> defaults: 2048 ticks a rollout, 10 epochs of 32 minibatches of 64 ticks,
    /// lr 3e-4 annealed, clip 0.2, no entropy bonus, 64-64 networks, observations and rewards normalised and clipped
    /// at 10. CleanRL's rollout is 1 env × 2048 steps shuffled into minibatches of 64 samples; PipeRL's minibatches are
    /// whole env windows (replayed exactly through a delayed actor), so the rollout is 32 envs × 64 ticks and each
    /// minibatch one env's window of 64.
    /// </summary>
    public static PpoOptions Mujoco { get; } = new()
    {
        NumEnvs = 32,
        NumSteps = 64,
        LearningRate = 3e-4f,
        UpdateEpochs = 10,
        NumMinibatches = 32,
        ClipCoef = 0.2f,
        EntropyCoef = 0f,
        Network = NetworkSize.Small,
        NormalizeObservations = true,
        NormalizeRewards = true,
    };

    /// <summary>Number of environments stepped in parallel during a rollout.</summary>
    [Description("Environments stepped in parallel during a rollout.")]
    public int NumEnvs { get; init; } = 32;

    /// <summary>Ticks per env in one rollout; a rollout holds NumEnvs × NumSteps transitions.</summary>
    [Description("Ticks per env in one rollout (rollout = num-envs x num-steps transitions).")]
    public int NumSteps { get; init; } = 32;

    /// <summary>Adam learning rate at the start of training.</summary>
    [Description("Adam learning rate at the start of training.")]
    public float LearningRate { get; init; } = 2.5e-4f;

    /// <summary>Whether the learning rate decays linearly to zero over the run.</summary>
    [Description("Decay the learning rate linearly to zero over the run.")]
    public bool AnnealLearningRate { get; init; } = true;

    /// <summary>Adam's epsilon (PyTorch placement: added to the square root of the second moment).</summary>
    [Description("Adam epsilon (added to the square root of the second moment, as PyTorch).")]
    public float AdamEpsilon { get; init; } = 1e-5f;

    /// <summary>Discount factor per tick.</summary>
    [Description("Discount factor per tick.")]
    public float Gamma { get; init; } = 0.99f;

    /// <summary>GAE's λ.</summary>
    [Description("GAE lambda.")]
    public float GaeLambda { get; init; } = 0.95f;

    /// <summary>Passes over each rollout.</summary>
    [Description("Passes over each rollout.")]
    public int UpdateEpochs { get; init; } = 4;

    /// <summary>Minibatches per epoch in the minibatch scheme (the envs are split into this many chunks).</summary>
    [Description("Minibatches per epoch in the minibatch scheme (env chunks).")]
    public int NumMinibatches { get; init; } = 4;

    /// <summary>How a rollout becomes gradient steps: minibatches of env chunks, or the authors' full-batch replay.</summary>
    [Description("Update scheme: minibatch (env chunks replayed exactly from the rollout's saved start state) or paper (the authors' full-batch replay from an instant start with a burn-in).")]
    public PpoUpdateScheme UpdateScheme { get; init; } = PpoUpdateScheme.Minibatch;

    /// <summary>Leading ticks of the paper scheme's replayed window that only warm the pipeline up and get no loss; null takes the authors' 7. The minibatch scheme replays exactly from the saved start state and refuses a nonzero burn-in.</summary>
    [Description("Burn-in ticks of the paper scheme's replay that get no loss (default 7; at least the actor's receptive window); the minibatch scheme needs none and refuses one.")]
    public int? BurnIn { get; init; }

    /// <summary>Whether advantages are normalised (per minibatch, or per step in the paper scheme).</summary>
    [Description("Normalise advantages (per minibatch; per step in the paper scheme).")]
    public bool NormalizeAdvantages { get; init; } = true;

    /// <summary>The surrogate's clip range ε (also the value clip range).</summary>
    [Description("Surrogate clip range epsilon (also the value clip range).")]
    public float ClipCoef { get; init; } = 0.1f;

    /// <summary>Whether the value loss is clipped around the rollout's values.</summary>
    [Description("Clip the value loss around the rollout's values.")]
    public bool ClipValueLoss { get; init; } = true;

    /// <summary>Weight of the entropy bonus.</summary>
    [Description("Weight of the entropy bonus.")]
    public float EntropyCoef { get; init; } = 0.01f;

    /// <summary>Weight of the value loss.</summary>
    [Description("Weight of the value loss.")]
    public float ValueCoef { get; init; } = 0.5f;

    /// <summary>Global gradient-norm clip.</summary>
    [Description("Global gradient-norm clip.")]
    public float MaxGradNorm { get; init; } = 0.5f;

    /// <summary>Stop an update's epochs early when the approximate KL exceeds this; null never stops.</summary>
    [Description("Stop an update's epochs early above this approximate KL (default: never).")]
    public float? TargetKl { get; init; }

    /// <summary>What the undelayed critic reads: the observation, or the observation with the actor's past actions.</summary>
    [Description("What the undelayed critic reads: observation (o_t) or augmented ([o_t; a_(t-K)..a_(t-1)], the actor's K past actions up to the one being decided, as the authors' SAC critic reads x_t; the same as observation for an actor without history).")]
    public CriticInput CriticInput { get; init; } = CriticInput.Observation;

    /// <summary>Whether observations are standardised by their running mean and standard deviation (all envs together) and clipped.</summary>
    [Description("Standardise observations by their running mean and std over all envs, clipped at normalization-clip (Gymnasium's NormalizeObservation, as CleanRL's continuous PPO); the statistics are saved in checkpoints and frozen at evaluation.")]
    public bool NormalizeObservations { get; init; }

    /// <summary>Whether rewards are divided by the running standard deviation of each env's discounted return and clipped.</summary>
    [Description("Divide rewards by the running std of the discounted return, clipped at normalization-clip (Gymnasium's NormalizeReward, as CleanRL's continuous PPO); episode returns are reported unscaled.")]
    public bool NormalizeRewards { get; init; }

    /// <summary>The bound of normalised observations and rewards.</summary>
    [Description("Bound of normalised observations and rewards.")]
    public float NormalizationClip { get; init; } = 10f;

    /// <summary>The network width preset.</summary>
    [Description("Network size: small (conv 16 + dense 128; MLP 64-64) or paper (the authors' networks: conv 32-64-64 + dense 512, their undelayed instant actor and the critic conv 16-32-32 + dense 512; MLP 256-256).")]
    public NetworkSize Network { get; init; } = NetworkSize.Paper;

    /// <summary>Transitions in one rollout.</summary>
    [JsonIgnore]
    public int BatchSize => NumEnvs * NumSteps;

    /// <inheritdoc/>
    long ITrainerOptions.TicksPerUpdate => (long)NumEnvs * NumSteps;

    /// <inheritdoc/>
    public ObservationNormalizer? NewObservationNormalizer(int observationSize) =>
        NormalizeObservations ? new ObservationNormalizer(observationSize, NormalizationClip) : null;

    /// <inheritdoc/>
    string ITrainerOptions.UpdateDescription => $"a rollout of num-envs x num-steps = {NumEnvs} x {NumSteps} ticks";

    /// <summary>Throws with a message naming the first invalid setting.</summary>
    public void Validate()
    {
        Require(NumEnvs >= 1, "num-envs must be at least 1");
        Require(NumSteps >= 2, "num-steps must be at least 2");
        Require(LearningRate > 0 && float.IsFinite(LearningRate), "learning-rate must be positive");
        Require(AdamEpsilon > 0, "adam-epsilon must be positive");
        Require(Gamma is >= 0 and <= 1, "gamma must lie in [0, 1]");
        Require(GaeLambda is >= 0 and <= 1, "gae-lambda must lie in [0, 1]");
        Require(UpdateEpochs >= 1, "update-epochs must be at least 1");
        Require(NumMinibatches >= 1 && NumMinibatches <= NumEnvs, $"num-minibatches must lie in [1, num-envs = {NumEnvs}]");
        Require(NumEnvs % NumMinibatches == 0, $"num-envs ({NumEnvs}) must be a multiple of num-minibatches ({NumMinibatches})");
        Require(BurnIn is null || (BurnIn >= 0 && BurnIn < NumSteps), $"burn-in must lie in [0, num-steps = {NumSteps})");
        Require(ClipCoef > 0, "clip-coef must be positive");
        Require(EntropyCoef >= 0, "entropy-coef must not be negative");
        Require(ValueCoef >= 0, "value-coef must not be negative");
        Require(MaxGradNorm > 0, "max-grad-norm must be positive");
        Require(TargetKl is null || TargetKl > 0, "target-kl must be positive");
        Require(NormalizationClip > 0, "normalization-clip must be positive");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"Invalid PPO option: {message}.");
        }
    }
}
