namespace PipeRL.Pipeline.Graph;

/// <summary>A validated layer of a <see cref="PipelineGraph"/> with its resolved inputs, shape and parameter count.</summary>
public sealed class GraphLayer
{
    internal GraphLayer(int index, LayerSpec spec, IReadOnlyList<GraphEdge> inputs, IReadOnlyList<int> outputShape, long parameterCount)
    {
        Index = index;
        Spec = spec;
        Inputs = inputs;
        OutputShape = outputShape;
        ParameterCount = parameterCount;
        var size = 1;
        foreach (var d in outputShape)
        {
            size *= d;
        }

        OutputSize = size;
    }

    /// <summary>Position in <see cref="PipelineGraph.Layers"/>.</summary>
    public int Index { get; }

    /// <summary>The description the layer was built from.</summary>
    public LayerSpec Spec { get; }

    /// <summary>The layer's name.</summary>
    public string Name => Spec.Name;

    /// <summary>The layer's kind.</summary>
    public LayerKind Kind => Spec.Kind;

    /// <summary>The resolved inputs, in order, each with its explicit timing.</summary>
    public IReadOnlyList<GraphEdge> Inputs { get; }

    /// <summary>The shape of one sample of the layer's value (no batch axis).</summary>
    public IReadOnlyList<int> OutputShape { get; }

    /// <summary>The number of floats of one sample of the layer's value.</summary>
    public int OutputSize { get; }

    /// <summary>The number of trainable parameters.</summary>
    public long ParameterCount { get; }

    /// <summary>Whether the layer computes with parameters (dense, conv, LSTM cell, head).</summary>
    public bool IsComputing => LayerSpec.IsComputing(Kind);

    /// <summary>Whether the layer is an output head.</summary>
    public bool IsHead => LayerSpec.IsHead(Kind);

    /// <summary>Whether the layer carries its own state from the previous tick (an LSTM cell).</summary>
    public bool IsRecurrent => Kind == LayerKind.LstmCell;

    /// <summary>Whether some input is read from the same tick although it comes from a computing layer.</summary>
    public bool HasSameTickLayerInput { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Kind}, [{string.Join(", ", OutputShape)}])";
}
