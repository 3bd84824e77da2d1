namespace PipeRL.Pipeline.Graph;

/// <summary>One input of a layer description: the source layer's name and, optionally, an explicit timing.</summary>
/// <param name="Source">The name of the layer (or graph input) read.</param>
/// <param name="Timing">The tick read; null applies the pipelined default (see <see cref="LayerSpec"/>).</param>
public readonly record struct LayerInput(string Source, TickTiming? Timing = null);
