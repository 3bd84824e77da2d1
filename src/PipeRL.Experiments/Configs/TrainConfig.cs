using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using PipeRL.Agents;
using PipeRL.Agents.Ppo;
using PipeRL.Agents.Sac;
using PipeRL.Experiments.Training;
using PipeRL.Pipeline.Analysis;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;

namespace PipeRL.Experiments.Configs;

/// <summary>Everything that defines a training run; saved resolved as the run's <c>config.json</c>.</summary>
public sealed record TrainConfig
{
    /// <summary>The run's folder name under the run store; empty derives one (see <see cref="ResolvedName"/>).</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The environment id, for example <c>minatar/breakout</c> or <c>classic/cartpole</c>.</summary>
    public string Env { get; init; } = "minatar/breakout";

    /// <summary>The actor architecture: a catalogue name, for example <c>instant</c> or <c>temporal-skip-aug</c>, or a graph <c>.json</c> file.</summary>
    public string Arch { get; init; } = "instant";

    /// <summary>How the actor is wired and acts: execution mode, action history and its window, episode boundaries.</summary>
    public ActorConfig Actor { get; init; } = ActorConfig.Default;

    /// <summary>
    /// The tick length in environment steps: k (the action is repeated k env steps and rewards summed) or 1/m (m
    /// ticks per env step, the observation held and the last tick's action applied). JSON: <c>2</c> or <c>"1/4"</c>.
    /// </summary>
    public Tau Tau { get; init; } = Tau.One;

    /// <summary>The algorithm: <c>ppo</c> or <c>sac</c> (see <see cref="Algorithms"/>).</summary>
    public string Algo { get; init; } = "ppo";

    /// <summary>The training budget in ticks (agent decisions summed over all envs); see <see cref="EnvSteps"/> for env steps.</summary>
    public long Steps { get; init; } = 1_000_000;

    /// <summary>The seed of every random source of the run (env i gets seed + i).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The hyperparameter preset the algorithm's options started from (see <see cref="Algorithms.Presets"/>).</summary>
    public string Preset { get; init; } = "small";

    /// <summary>The PPO hyperparameters when the algorithm is <c>ppo</c>; null takes the preset's.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PpoOptions? Ppo { get; init; }

    /// <summary>The SAC hyperparameters when the algorithm is <c>sac</c>; null takes the preset's.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SacOptions? Sac { get; init; }

    /// <summary>The algorithm's options: its section, or the preset's when the config has none.</summary>
    [JsonIgnore]
    public ITrainerOptions Options => Algorithms.Options(this);

    /// <summary>Episodes of the final evaluation (each sampled and greedy).</summary>
    public int EvalEpisodes { get; init; } = 100;

    /// <summary>Ticks between evaluations during training (metrics rows of kind <c>eval</c>, <c>best.params</c>); 0 evaluates only at the end.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long EvalEvery { get; init; }

    /// <summary>Episodes of each evaluation during training (each sampled and greedy).</summary>
    public int EvalEveryEpisodes { get; init; } = 10;

    /// <summary>Threads that step environments and run the networks' matrix products in updates (the caller's included).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Updates between checkpoints; 0 checkpoints about every tenth of the run (see <see cref="CheckpointInterval"/>).</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>
    /// The run's name: <see cref="Name"/>, or one built from env, architecture (a graph file's name without its folder)
    /// and the actor's variant (<see cref="VariantSuffix"/>), the algorithm unless PPO, τ and seed, so that two
    /// variants of one architecture do not share a name.
    /// </summary>
    public string ResolvedName => string.IsNullOrWhiteSpace(Name)
        ? $"{Env.Replace('/', '-')}_{ArchName}{VariantSuffix()}{(Algo == Algorithms.Ppo ? string.Empty : "_" + Algo)}_tau{Tau.ToString().Replace('/', '-')}_seed{Seed}"
        : Name;

    private string ArchName => Arch.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? Path.GetFileNameWithoutExtension(Arch) : Arch;

    /// <summary>
    /// What sets the actor apart from its architecture's defaults, in run names: its execution mode when not the
    /// architecture's own, <c>-hK</c> for a history given, the history window when not the algorithm's default,
    /// <c>-reset</c> episode boundaries, <c>-obs-to-head</c>, and <c>-critic-augmented</c> for PPO's augmented critic input.
    /// </summary>
    public string VariantSuffix()
    {
        var suffix = new StringBuilder();
        if (Actor is { } actor)
        {
            var own = ArchitectureCatalogue.Names.Contains(Arch) ? ArchitectureCatalogue.DefaultExecution(Arch) : ExecutionMode.Pipelined;
            if (actor.Execution is { } mode && mode != own)
            {
                suffix.Append('-').Append(Kebab(mode));
            }

            if (actor.History is { } history)
            {
                suffix.Append("-h").Append(history.ToString(CultureInfo.InvariantCulture));
            }

            if (actor.HistoryWindow != ActorConfig.Default.HistoryWindow)
            {
                suffix.Append('-').Append(Kebab(actor.HistoryWindow));
            }

            if (actor.EpisodeBoundary != EpisodeBoundary.Carry)
            {
                suffix.Append('-').Append(Kebab(actor.EpisodeBoundary));
            }

            if (actor.ObservationToHead)
            {
                suffix.Append("-obs-to-head");
            }
        }

        if (Algo == Algorithms.Ppo && Ppo?.CriticInput == CriticInput.Augmented)
        {
            suffix.Append("-critic-augmented");
        }

        return suffix.ToString();
    }

    /// <summary>The ticks the run trains: whole updates (PPO's rollouts, SAC's report intervals) within <see cref="Steps"/>.</summary>
    public long TrainTicks() => Steps - (Steps % Options.TicksPerUpdate);

    /// <summary>The updates of the run (see <see cref="ITrainerOptions.TicksPerUpdate"/>).</summary>
    public int NumUpdates() => (int)(Steps / Options.TicksPerUpdate);

    /// <summary>Updates between checkpoints: <see cref="CheckpointEvery"/>, or a tenth of the updates rounded up when it is 0.</summary>
    public int CheckpointInterval() => CheckpointEvery > 0 ? CheckpointEvery : Math.Max(1, (NumUpdates() + 9) / 10);

    /// <summary>
    /// Environment steps taken in <paramref name="ticks"/> ticks over all envs: ticks × k for τ = k (at most: an
    /// episode ending inside a repeat stops it early), and exactly num-envs × ⌊ticks per env / m⌋ for τ = 1/m (every
    /// env steps on the same tick of each m, as episodes end only on env steps).
    /// </summary>
    public long EnvSteps(long ticks) => Tau.TicksPerEnvStep == 1
        ? ticks * Tau.EnvStepsPerTick
        : Options.NumEnvs * (ticks / Options.NumEnvs / Tau.TicksPerEnvStep);

    /// <summary>Throws a <see cref="UserInputException"/> naming the first invalid setting and its valid range.</summary>
    public void Validate()
    {
        ConfigLimits.Check(this);
        (Actor ?? throw new UserInputException("The config's 'actor' section must be an object, not null.")).Validate();
        Algorithms.Validate(this);
    }

    private static string Kebab<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
