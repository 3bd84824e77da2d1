namespace PipeRL.Pipeline.Graph;

/// <summary>A handle to a layer added to a <see cref="GraphBuilder"/>.</summary>
/// <param name="Name">The layer's name.</param>
public readonly record struct GraphNode(string Name)
{
    /// <summary>This layer's value from the same tick (a same-tick edge).</summary>
    public LayerPort SameTick => new(Name, TickTiming.SameTick);

    /// <summary>This layer's value from the previous tick (a tick boundary).</summary>
    public LayerPort PreviousTick => new(Name, TickTiming.PreviousTick);
}
