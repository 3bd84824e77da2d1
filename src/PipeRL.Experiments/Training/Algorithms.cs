using PipeRL.Agents;
using PipeRL.Agents.Distributions;
using PipeRL.Agents.Networks;
using PipeRL.Agents.Ppo;
using PipeRL.Agents.Sac;
using PipeRL.Envs;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.MuJoCo;
using PipeRL.Experiments.Configs;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Tensors;

namespace PipeRL.Experiments.Training;

/// <summary>
/// The one place that knows the algorithms by name: their config sections and presets, the preset a run gets when it
/// names none, what each requires of its actor and config, and the trainer it builds. The run machinery sees only
/// <see cref="ITrainer"/> and <see cref="ITrainerOptions"/>.
/// </summary>
public static class Algorithms
{
    /// <summary>PPO (CleanRL's <c>ppo.py</c> for delayed actors); its options are the config section <c>ppo</c>.</summary>
    public const string Ppo = "ppo";

    /// <summary>SAC, continuous or discrete by the env's action space; its options are the config section <c>sac</c>.</summary>
    public const string Sac = "sac";

    /// <summary>The algorithms a run can name; each one's options are the config section of the same name.</summary>
    public static IReadOnlyList<string> Names { get; } = [Ppo, Sac];

    /// <summary>Every preset, the default one of each algorithm first.</summary>
    public static IReadOnlyList<Preset> Presets { get; } =
    [
        new("small", Ppo, PpoOptions.Small, "the paper's PPO settings with the small network and the minibatch update"),
        new("paper", Ppo, PpoOptions.Paper, "the authors' MinAtar PPO"),
        new("mujoco-ppo", Ppo, PpoOptions.Mujoco, "CleanRL's continuous-control PPO with observation and reward normalisation"),
        new("mujoco-sac", Sac, SacOptions.MuJoCo, "the authors' MuJoCo SAC"),
        new("minatar-dsac", Sac, SacOptions.MinAtar, "the workshop version's discrete SAC on MinAtar"),
        new("minatar-dsac-small", Sac, SacOptions.MinAtarSmall, "minatar-dsac with the small networks and a 100k replay"),
    ];

    /// <summary>Each algorithm's default preset (its first), whose options are the defaults the command line's flags show.</summary>
    public static IReadOnlyList<Preset> DefaultPresets { get; } = [.. Names.Select(n => Presets.First(p => p.Algo == n))];

    /// <summary>Throws a <see cref="UserInputException"/> unless <paramref name="algo"/> is one of <see cref="Names"/>.</summary>
    public static void RequireKnown(string algo)
    {
        if (!Names.Contains(algo))
        {
            throw new UserInputException($"Unknown algorithm '{algo}'; valid: {string.Join(", ", Names)}.");
        }
    }

    /// <summary>The preset called <paramref name="name"/>; throws a <see cref="UserInputException"/> naming the valid ones otherwise.</summary>
    public static Preset PresetNamed(string name) =>
        Presets.FirstOrDefault(p => p.Name == name)
        ?? throw new UserInputException($"Unknown preset '{name}'; valid: {string.Join(", ", Presets.Select(p => $"{p.Name} ({p.Algo})"))}.");

    /// <summary>
    /// The preset of a run of <paramref name="algo"/> on <paramref name="env"/> that names none: on continuous actions
    /// (MuJoCo, pendulum) <c>mujoco-ppo</c> or <c>mujoco-sac</c>, on discrete ones (MinAtar, cartpole) PPO's <c>small</c>
    /// or the small discrete SAC.
    /// </summary>
    public static string DefaultPreset(string algo, string env)
    {
        RequireKnown(algo);
        return (algo, HasContinuousActions(env)) switch
        {
            (Sac, true) => "mujoco-sac",
            (Sac, false) => "minatar-dsac-small",
            (_, true) => "mujoco-ppo",
            _ => "small",
        };
    }

    /// <summary>The algorithm options of <paramref name="config"/>: its section, or its preset's options when it has none.</summary>
    public static ITrainerOptions Options(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        RequireKnown(config.Algo);
        foreach (var (algo, section) in Sections(config))
        {
            if (section is not null && algo != config.Algo)
            {
                throw new UserInputException($"Config key '{algo}' holds {algo} options, but this run trains {config.Algo} (algo); drop it, or set algo to {algo}.");
            }
        }

        return Sections(config).First(s => s.Algo == config.Algo).Options ?? PresetOf(config.Algo, config.Preset).Options;
    }

    /// <summary><paramref name="config"/> with its algorithm's section set (to its preset's options when it had none), so a saved config is whole.</summary>
    public static TrainConfig Complete(TrainConfig config) => Options(config) switch
    {
        PpoOptions ppo => config with { Ppo = ppo },
        SacOptions sac => config with { Sac = sac },
        var other => throw new InvalidOperationException($"No config section for {other.GetType().Name}."),
    };

    /// <summary>The preset called <paramref name="name"/> of <paramref name="algo"/>; throws a <see cref="UserInputException"/> for an unknown one or another algorithm's.</summary>
    public static Preset PresetOf(string algo, string name)
    {
        var preset = PresetNamed(name);
        return preset.Algo == algo
            ? preset
            : throw new UserInputException($"Preset '{preset.Name}' is a {preset.Algo} preset, but this run trains {algo} (algo); {algo} presets: {string.Join(", ", Presets.Where(p => p.Algo == algo).Select(p => p.Name))}.");
    }

    /// <summary>Throws a <see cref="UserInputException"/> naming a setting of <paramref name="config"/> its algorithm cannot train with.</summary>
    public static void Validate(TrainConfig config)
    {
        var options = Options(config);
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex) when (ex.ParamName is null)
        {
            // The options report a bad hyperparameter this way; Validate takes no arguments, so nothing else can throw here.
            throw new UserInputException(ex.Message, ex);
        }
    }

    /// <summary>Throws a <see cref="UserInputException"/> when <paramref name="config"/>'s algorithm cannot train <paramref name="actor"/> on <paramref name="actionSpace"/>.</summary>
    public static void RequireSupported(TrainConfig config, IActorNetwork actor, Space actionSpace)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Algo != Sac)
        {
            return;
        }

        try
        {
            SacTrainer.RequireSupported(actor);
            _ = EvaluationPolicy(config, actionSpace);
        }
        catch (ArgumentException ex)
        {
            throw new UserInputException($"Actor {config.Arch} on {config.Env}: {ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal)}", ex);
        }
    }

    /// <summary>
    /// The trainer of <paramref name="config"/> for <paramref name="actor"/> (built from <paramref name="architecture"/>)
    /// on <paramref name="envs"/> (whose one env observes <paramref name="observationSpace"/>): PPO with its critic, or
    /// SAC, continuous on a box of actions and discrete otherwise, with its critics.
    /// </summary>
    public static ITrainer Create(TrainConfig config, IVectorEnv envs, IActorNetwork actor, Architecture architecture, BoxSpace observationSpace)
    {
        ArgumentNullException.ThrowIfNull(envs);
        var options = Options(config);
        switch (options)
        {
            case PpoOptions ppo:
                var critic = Critic(architecture, ppo.Network, ppo.CriticInput, observationSpace, config.Seed);
                return new PpoTrainer(envs, actor, critic, ppo, config.Seed, config.Actor.HistoryWindow);
            case SacOptions sac when envs.SingleActionSpace is BoxSpace:
                return new SacTrainer(envs, actor, sac, config.Seed, config.Actor.HistoryWindow);
            case SacOptions sac:
                return new DiscreteSacTrainer(envs, actor, sac, config.Seed, config.Actor.HistoryWindow);
            default:
                throw new InvalidOperationException($"No trainer for {options.GetType().Name}.");
        }
    }

    /// <summary>The distribution the actor of <paramref name="config"/> acts with on <paramref name="actionSpace"/>, or null for the action space's default.</summary>
    public static PolicyDistribution? EvaluationPolicy(TrainConfig config, Space actionSpace)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Algo == Sac && actionSpace is BoxSpace box ? new SquashedGaussianPolicy(box) : null;
    }

    /// <summary>
    /// The run's undelayed critic beside <paramref name="architecture"/>'s actor, reading the observation of
    /// <paramref name="observationSpace"/> or, when <paramref name="input"/> is augmented, the actor's input with its
    /// action history; initialised from <paramref name="seed"/>.
    /// </summary>
    private static ValueNetwork Critic(Architecture architecture, NetworkSize size, CriticInput input, BoxSpace observationSpace, int seed)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(observationSpace);
        var history = input == CriticInput.Augmented ? architecture.HistoryLength : 0;
        var actionWidth = history == 0 ? 1 : (architecture.Graph[architecture.Input].OutputSize - observationSpace.FlatSize) / history;
        return new ValueNetwork(observationSpace.Shape, size, new SeededRandom(unchecked(((ulong)seed << 32) + 0xC1)), history, actionWidth);
    }

    /// <summary>Whether env <paramref name="id"/> takes continuous actions (a box), without creating it.</summary>
    private static bool HasContinuousActions(string id) => MuJoCoEnvs.IsRegistered(id) || id == PendulumEnv.EnvId;

    private static (string Algo, ITrainerOptions? Options)[] Sections(TrainConfig config) => [(Ppo, config.Ppo), (Sac, config.Sac)];
}
