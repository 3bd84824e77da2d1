namespace PipeRL.Pipeline.Graph;

/// <summary>
/// Builds a <see cref="PipelineGraph"/> layer by layer. Passing a <see cref="GraphNode"/> reads it with the
/// pipelined default (computing layers from the previous tick, inputs and wiring from the same tick);
/// <see cref="GraphNode.SameTick"/> and <see cref="GraphNode.PreviousTick"/> choose explicitly.
/// </summary>
public sealed class GraphBuilder
{
    private readonly List<LayerSpec> _specs = [];

    /// <summary>Adds a graph input of the given shape (the observation read at the current tick).</summary>
    public GraphNode Input(string name, params int[] shape) =>
        AddLayer(new LayerSpec(name, LayerKind.Input, []) { Shape = shape });

    /// <summary>Adds a dense layer with <paramref name="units"/> outputs and a fused activation.</summary>
    public GraphNode Dense(string name, LayerPort input, int units, Activation activation = Activation.None, bool bias = true) =>
        AddLayer(new LayerSpec(name, LayerKind.Dense, [Port(input)]) { Units = units, Activation = activation, Bias = bias });

    /// <summary>Adds a 2-D convolution with <paramref name="channels"/> output channels and a fused activation.</summary>
    public GraphNode Conv2d(string name, LayerPort input, int channels, int kernel, int stride = 1, int padding = 0, Activation activation = Activation.None) =>
        AddLayer(new LayerSpec(name, LayerKind.Conv2d, [Port(input)]) { Units = channels, Kernel = kernel, Stride = stride, Padding = padding, Activation = activation });

    /// <summary>Adds an LSTM cell of <paramref name="units"/> hidden units; its (h, c) recur from the previous tick.</summary>
    public GraphNode LstmCell(string name, LayerPort input, int units) =>
        AddLayer(new LayerSpec(name, LayerKind.LstmCell, [Port(input)]) { Units = units });

    /// <summary>Adds an element-wise activation.</summary>
    public GraphNode Activate(string name, LayerPort input, Activation activation) =>
        AddLayer(new LayerSpec(name, LayerKind.Activation, [Port(input)]) { Activation = activation });

    /// <summary>Adds a <paramref name="mode"/> pooling over <paramref name="kernel"/>×<paramref name="kernel"/> windows with stride <paramref name="kernel"/>.</summary>
    public GraphNode Pool(string name, LayerPort input, PoolMode mode, int kernel) =>
        AddLayer(new LayerSpec(name, LayerKind.Pool, [Port(input)]) { Pool = mode, Kernel = kernel });

    /// <summary>Adds a concatenation (features of vectors, channels of images).</summary>
    public GraphNode Concat(string name, params LayerPort[] inputs) =>
        AddLayer(new LayerSpec(name, LayerKind.Concat, [.. inputs.Select(Port)]));

    /// <summary>Adds an element-wise sum.</summary>
    public GraphNode Add(string name, params LayerPort[] inputs) =>
        AddLayer(new LayerSpec(name, LayerKind.Add, [.. inputs.Select(Port)]));

    /// <summary>Adds a multiplication by <paramref name="factor"/>.</summary>
    public GraphNode Scale(string name, LayerPort input, float factor) =>
        AddLayer(new LayerSpec(name, LayerKind.Scale, [Port(input)]) { Factor = factor });

    /// <summary>Adds a flatten to a vector.</summary>
    public GraphNode Flatten(string name, LayerPort input) =>
        AddLayer(new LayerSpec(name, LayerKind.Flatten, [Port(input)]));

    /// <summary>Adds a reshape to <paramref name="shape"/>.</summary>
    public GraphNode Reshape(string name, LayerPort input, params int[] shape) =>
        AddLayer(new LayerSpec(name, LayerKind.Reshape, [Port(input)]) { Shape = shape });

    /// <summary>Adds the slice [start, start + length) of a vector.</summary>
    public GraphNode Slice(string name, LayerPort input, int start, int length) =>
        AddLayer(new LayerSpec(name, LayerKind.Slice, [Port(input)]) { Start = start, Length = length });

    /// <summary>Adds a categorical policy head with <paramref name="actions"/> logits.</summary>
    public GraphNode CategoricalHead(string name, LayerPort input, int actions) =>
        AddLayer(new LayerSpec(name, LayerKind.CategoricalHead, [Port(input)]) { Units = actions });

    /// <summary>Adds a diagonal Gaussian policy head for <paramref name="actionDims"/> action dimensions.</summary>
    public GraphNode GaussianHead(string name, LayerPort input, int actionDims) =>
        AddLayer(new LayerSpec(name, LayerKind.GaussianHead, [Port(input)]) { Units = actionDims });

    /// <summary>Adds a state-value head.</summary>
    public GraphNode ValueHead(string name, LayerPort input) =>
        AddLayer(new LayerSpec(name, LayerKind.ValueHead, [Port(input)]));

    /// <summary>Adds a layer from its full description.</summary>
    public GraphNode AddLayer(LayerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _specs.Add(spec);
        return new GraphNode(spec.Name);
    }

    /// <summary>Validates the layers added so far and returns the graph.</summary>
    public PipelineGraph Build() => new(_specs);

    private static LayerInput Port(LayerPort port) => new(port.Name, port.Timing);
}
