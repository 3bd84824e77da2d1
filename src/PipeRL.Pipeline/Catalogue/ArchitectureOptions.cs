namespace PipeRL.Pipeline.Catalogue;

/// <summary>The sizes an architecture of the catalogue is built for.</summary>
public sealed record ArchitectureOptions
{
    /// <summary>The env's observation shape: a vector [n] gives an MLP torso, an image [H, W, C] a CNN torso.</summary>
    public required IReadOnlyList<int> ObservationShape { get; init; }

    /// <summary>The number of discrete actions, or the action dimensions when <see cref="ContinuousActions"/>.</summary>
    public required int Actions { get; init; }

    /// <summary>Whether actions are continuous (a Gaussian head) rather than discrete (a categorical head).</summary>
    public bool ContinuousActions { get; init; }

    /// <summary>Hidden layers of an MLP torso (the authors' MuJoCo actor: 2).</summary>
    public int HiddenLayers { get; init; } = 2;

    /// <summary>Width of the hidden layers of an MLP torso (the authors' MuJoCo actor: 256).</summary>
    public int Width { get; init; } = 256;

    /// <summary>The convolutional torso used for image observations.</summary>
    public CnnTorso Cnn { get; init; } = CnnTorso.MinAtar;

    /// <summary>
    /// Past actions appended to the observation (K; one-hot for discrete actions), oldest first; which K actions
    /// the acting loop writes there is its history window. Null takes the architecture's default (2 for MLP and 1 for
    /// CNN torsos in <c>temporal-skip-aug</c>, as the authors; 1 in <c>cnn-skipres-aug</c>; 0 elsewhere).
    /// </summary>
    public int? HistoryLength { get; init; }

    /// <summary>In <c>hidden-to-head</c>, also feed the observation to the head (the authors' <c>ActorSlowSkip</c>, minimum delay 1).</summary>
    public bool ObservationToHead { get; init; }

    /// <summary>The execution mode, or null for the entry's own (<c>instant</c>: instant, <c>sequential</c>: sequential, others pipelined).</summary>
    public ExecutionMode? Execution { get; init; }

    /// <summary>The number of floats one action occupies in the history.</summary>
    public int ActionWidth => Actions;
}
