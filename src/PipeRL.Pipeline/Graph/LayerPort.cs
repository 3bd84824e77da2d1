namespace PipeRL.Pipeline.Graph;

/// <summary>A reference to a layer's value as another layer reads it: the layer and, optionally, the tick.</summary>
/// <param name="Name">The source layer's name.</param>
/// <param name="Timing">The tick read; null applies the pipelined default.</param>
public readonly record struct LayerPort(string Name, TickTiming? Timing)
{
    /// <summary>Reads the layer with the pipelined default timing.</summary>
    public static implicit operator LayerPort(GraphNode node) => new(node.Name, null);

    /// <summary>Reads the layer with the pipelined default timing.</summary>
    public static LayerPort FromGraphNode(GraphNode node) => node;
}
