using PipeRL.Agents.Networks;
using PipeRL.Agents.Ppo;
using PipeRL.Envs;
using PipeRL.Pipeline.Catalogue;

namespace PipeRL.Experiments.Training;

/// <summary>Builds a run's actor: the catalogue architecture sized by the network preset, run by the pipeline's executors.</summary>
public static class ActorFactory
{
    /// <summary>The catalogue architecture <paramref name="name"/> for the env's spaces at <paramref name="size"/>; throws an <see cref="ArgumentException"/> for an unknown name.</summary>
    public static Architecture Architecture(string name, NetworkSize size, BoxSpace observationSpace, Space actionSpace)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        var (actions, continuous) = actionSpace switch
        {
            DiscreteSpace d => (d.N, false),
            BoxSpace b => (b.FlatSize, true),
            _ => throw new ArgumentException($"No actor for action space {actionSpace}."),
        };
        return ArchitectureCatalogue.Build(name, new ArchitectureOptions
        {
            ObservationShape = [.. observationSpace.Shape],
            Actions = actions,
            ContinuousActions = continuous,
            HiddenLayers = 2,
            Width = size == NetworkSize.Paper ? 256 : 64,
            Cnn = size == NetworkSize.Paper ? PaperTorso(name) : CnnTorso.MinAtarSmall,
        });
    }

    /// <summary>The actor network of <paramref name="architecture"/>, initialised from <paramref name="seed"/>.</summary>
    public static IActorNetwork Create(Architecture architecture, ulong seed) => new PipelineActor(architecture, seed);

    /// <summary>
    /// The authors' torso for <paramref name="name"/>: their undelayed actor (<c>AgentSeparateActorCritic</c>) is 16-32-32,
    /// every delayed one 32-64-64.
    /// </summary>
    private static CnnTorso PaperTorso(string name) => name == "instant" ? CnnTorso.MinAtarUndelayed : CnnTorso.MinAtar;
}
