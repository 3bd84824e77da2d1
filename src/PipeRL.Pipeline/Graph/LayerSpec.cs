namespace PipeRL.Pipeline.Graph;

/// <summary>
/// The description of one layer: its kind, its inputs and its attributes. An input without an explicit timing
/// reads a graph input or a wiring layer (activation, pooling, concat, add, scale, reshaping) from the same tick
/// and a computing layer (dense, conv, LSTM cell, head) from the previous tick: the pipelined default.
/// </summary>
public sealed record LayerSpec
{
    /// <summary>Creates a description of a <paramref name="kind"/> layer named <paramref name="name"/>.</summary>
    public LayerSpec(string name, LayerKind kind, IReadOnlyList<LayerInput> inputs)
    {
        Name = name;
        Kind = kind;
        Inputs = inputs;
    }

    /// <summary>The layer's unique name.</summary>
    public string Name { get; init; }

    /// <summary>What the layer computes.</summary>
    public LayerKind Kind { get; init; }

    /// <summary>The layers it reads, in order.</summary>
    public IReadOnlyList<LayerInput> Inputs { get; init; }

    /// <summary>Output features (dense, LSTM cell), output channels (conv), or actions (policy heads).</summary>
    public int Units { get; init; }

    /// <summary>Kernel size of a convolution, or the window size (and stride) of a pooling layer.</summary>
    public int Kernel { get; init; }

    /// <summary>Stride of a convolution (0 means 1).</summary>
    public int Stride { get; init; }

    /// <summary>Zero padding of a convolution on each side.</summary>
    public int Padding { get; init; }

    /// <summary>The fused activation of a dense or conv layer, or the function of an activation layer.</summary>
    public Activation Activation { get; init; }

    /// <summary>How a pooling layer reduces each window.</summary>
    public PoolMode Pool { get; init; }

    /// <summary>Whether a dense, conv or head layer has a bias.</summary>
    public bool Bias { get; init; } = true;

    /// <summary>The constant of a scale layer.</summary>
    public float Factor { get; init; } = 1f;

    /// <summary>The shape of a graph input or the target shape of a reshape.</summary>
    public IReadOnlyList<int> Shape { get; init; } = [];

    /// <summary>The first element of a slice.</summary>
    public int Start { get; init; }

    /// <summary>The number of elements of a slice.</summary>
    public int Length { get; init; }

    /// <summary>Whether this kind computes with parameters (and so, by default, is read from the previous tick).</summary>
    public static bool IsComputing(LayerKind kind) => kind is LayerKind.Dense or LayerKind.Conv2d or LayerKind.LstmCell
        or LayerKind.CategoricalHead or LayerKind.GaussianHead or LayerKind.ValueHead;

    /// <summary>Whether this kind is an output head of the network.</summary>
    public static bool IsHead(LayerKind kind) => kind is LayerKind.CategoricalHead or LayerKind.GaussianHead or LayerKind.ValueHead;
}
