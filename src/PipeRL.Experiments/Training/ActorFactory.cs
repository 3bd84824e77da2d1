using PipeRL.Agents;
using PipeRL.Agents.Networks;
using PipeRL.Envs;
using PipeRL.Experiments.Configs;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Graph;

namespace PipeRL.Experiments.Training;

/// <summary>Builds a run's actor: a catalogue architecture sized by the network preset, or a graph file, run by the pipeline's executors.</summary>
public static class ActorFactory
{
    /// <summary>
    /// The architecture <paramref name="name"/> (a catalogue name or a graph <c>.json</c> file) for the env's spaces at
    /// <paramref name="size"/>, wired and run as <paramref name="actor"/> says, for training with <paramref name="algo"/>; throws a
    /// <see cref="UserInputException"/> naming the problem.
    /// </summary>
    public static Architecture Architecture(string name, NetworkSize size, BoxSpace observationSpace, Space actionSpace, ActorConfig? actor = null, string algo = Algorithms.Ppo)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(observationSpace);
        actor ??= ActorConfig.Default;
        var (actions, continuous) = actionSpace switch
        {
            DiscreteSpace d => (d.N, false),
            BoxSpace b => (b.FlatSize, true),
            _ => throw new ArgumentException($"No actor for action space {actionSpace}."),
        };
        if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return FromGraphFile(name, observationSpace.FlatSize, actions, actor);
        }

        if (!ArchitectureCatalogue.Names.Contains(name))
        {
            throw new UserInputException($"Unknown architecture '{name}'; valid: {string.Join(", ", ArchitectureCatalogue.Names)}, or a graph .json file.");
        }

        try
        {
            return ArchitectureCatalogue.Build(name, new ArchitectureOptions
            {
                ObservationShape = [.. observationSpace.Shape],
                Actions = actions,
                ContinuousActions = continuous,
                HiddenLayers = 2,
                Width = size == NetworkSize.Paper ? 256 : 64,
                Cnn = size == NetworkSize.Paper ? PaperTorso(name, algo) : CnnTorso.MinAtarSmall,
                HistoryLength = actor.History,
                ObservationToHead = actor.ObservationToHead,
                Execution = actor.Execution,
            });
        }
        catch (ArgumentException ex) when (ex.ParamName is "options")
        {
            // The catalogue's check of the actor options a config gave (history, execution, observation to head).
            throw new UserInputException(ex.Message.Replace(" (Parameter 'options')", string.Empty, StringComparison.Ordinal), ex);
        }
    }

    /// <summary>The actor network of <paramref name="architecture"/>, initialised from <paramref name="seed"/>, with the episode boundary of <paramref name="actor"/>.</summary>
    public static IActorNetwork Create(Architecture architecture, ulong seed, ActorConfig? actor = null) =>
        new PipelineActor(architecture, seed, (actor ?? ActorConfig.Default).EpisodeBoundary);

    /// <summary>
    /// The authors' torso for <paramref name="name"/> under <paramref name="algo"/>: their undelayed PPO actor
    /// (<c>AgentSeparateActorCritic</c>) is 16-32-32, every delayed one 32-64-64; their discrete SAC networks are all
    /// 32-64-64, so SAC's <c>instant</c> actor differs from the delayed ones only in its wiring.
    /// </summary>
    private static CnnTorso PaperTorso(string name, string algo) =>
        name == "instant" && algo == Algorithms.Ppo ? CnnTorso.MinAtarUndelayed : CnnTorso.MinAtar;

    /// <summary>A user's graph: one input (the flat observation, then K actions) and one policy head; pipelined unless told otherwise.</summary>
    private static Architecture FromGraphFile(string path, int observationSize, int actionWidth, ActorConfig actor)
    {
        if (!File.Exists(path))
        {
            throw new UserInputException($"Graph file '{path}' does not exist; give a catalogue name or the path of a graph .json (see 'piperl inspect --json').");
        }

        PipelineGraph graph;
        try
        {
            graph = GraphJson.Parse(File.ReadAllText(path));
        }
        catch (GraphException ex)
        {
            throw new UserInputException($"Graph file '{path}': {ex.Message}", ex);
        }

        if (graph.Inputs.Count != 1 || graph.Heads.Count != 1)
        {
            throw new UserInputException($"Graph file '{path}' has {graph.Inputs.Count} inputs and {graph.Heads.Count} heads; an actor needs one input (the observation and its action history) and one policy head.");
        }

        var input = graph.Layers[graph.Inputs[0]];
        var extra = input.OutputSize - observationSize;
        if (extra < 0 || extra % actionWidth != 0)
        {
            throw new UserInputException($"Graph file '{path}': input '{input.Name}' takes {input.OutputSize} floats, which is not the observation ({observationSize}) plus whole actions of {actionWidth}.");
        }

        var history = extra / actionWidth;
        if (actor.History is { } k && k != history)
        {
            throw new UserInputException($"Graph file '{path}' carries {history} past actions in its input, not the {k} asked for with history; drop the option or change the graph.");
        }

        return new Architecture
        {
            Name = Path.GetFileName(path),
            Graph = graph,
            Mode = actor.Execution ?? ExecutionMode.Pipelined,
            Input = input.Name,
            PolicyHead = graph.Layers[graph.Heads[0]].Name,
            HistoryLength = history,
            Description = $"graph file {Path.GetFileName(path)}",
        };
    }
}
