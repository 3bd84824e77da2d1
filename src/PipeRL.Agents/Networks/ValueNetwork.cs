using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Tensors;

namespace PipeRL.Agents.Networks;

/// <summary>
/// The undelayed critic V(x_t) (training-time only, as in the paper): the catalogue's critic graph
/// (<see cref="ArchitectureCatalogue.Critic"/>) run instant, so it always sees the input of the current tick. A vector
/// observation gets a tanh MLP; an [H, W, C] image gets 3×3 ReLU convolutions, a dense ReLU layer and the value.
/// CleanRL's initialisation: orthogonal √2 hidden weights, orthogonal 1 for the value, zero biases.
/// </summary>
public sealed class ValueNetwork : IModule
{
    /// <summary>What the critic's parameter names start with (keeping them apart from the actor's in one optimizer and checkpoint).</summary>
    public const string ParameterPrefix = "critic.";

    private readonly UnrolledPipeline _unrolled;

    /// <summary>
    /// Creates the critic for observations of <paramref name="observationShape"/> at size <paramref name="size"/>, its
    /// input followed by <paramref name="history"/> actions of <paramref name="actionWidth"/> floats (none by default).
    /// </summary>
    public ValueNetwork(IReadOnlyList<int> observationShape, NetworkSize size, SeededRandom rng, int history = 0, int actionWidth = 1)
    {
        ArgumentNullException.ThrowIfNull(observationShape);
        ArgumentNullException.ThrowIfNull(rng);
        var graph = ArchitectureCatalogue.Critic(new ArchitectureOptions
        {
            ObservationShape = observationShape,
            Actions = actionWidth,
            HiddenLayers = 2,
            Width = size == NetworkSize.Paper ? 256 : 64,
            // The authors' critic is 16-32-32 same-padded (their undelayed torso); the small one is MinAtar's single unpadded conv of 16.
            Cnn = size == NetworkSize.Paper ? CnnTorso.MinAtarUndelayed : CnnTorso.MinAtarSmall,
            HistoryLength = history,
        });
        var network = new PipelineNetwork(graph, rng, ParameterPrefix);
        OrthogonalInit.Apply(network, rng, ArchitectureCatalogue.ValueName, headGain: 1.0);
        _unrolled = new UnrolledPipeline(network, ExecutionMode.Instant);
        InputSize = graph[ArchitectureCatalogue.InputName].OutputSize;
        HistoryLength = history;
        Parameters = network.Parameters;
    }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Floats of one input row: the observation, then <see cref="HistoryLength"/> actions.</summary>
    public int InputSize { get; }

    /// <summary>Past actions the input carries after the observation.</summary>
    public int HistoryLength { get; }

    /// <summary>
    /// Records V for a batch of flat inputs [B, <see cref="InputSize"/>] on <paramref name="tape"/>; the result is [B, 1].
    /// The tape reads <paramref name="inputs"/> until backward.
    /// </summary>
    public Var Forward(Tape tape, Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(inputs);
        return _unrolled.Run(tape, inputs, 1).Outputs(ArchitectureCatalogue.ValueName);
    }
}
