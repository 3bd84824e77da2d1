namespace PipeRL.Pipeline.Graph;

/// <summary>A resolved input of a layer: the source layer's index and the tick it is read from.</summary>
/// <param name="Source">Index of the source layer in <see cref="PipelineGraph.Layers"/>.</param>
/// <param name="Timing">Which tick's value is read.</param>
public readonly record struct GraphEdge(int Source, TickTiming Timing)
{
    /// <summary>The number of tick boundaries the edge crosses (0 or 1).</summary>
    public int Lag => Timing == TickTiming.PreviousTick ? 1 : 0;
}
