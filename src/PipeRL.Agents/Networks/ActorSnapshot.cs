using PipeRL.Pipeline.Execution;

namespace PipeRL.Agents.Networks;

/// <summary>An actor's acting state at one moment, for an exact replay of the ticks that follow (see <see cref="IActorNetwork.Snapshot"/>).</summary>
public sealed class ActorSnapshot
{
    /// <summary>The layer values and LSTM cells, or null for an actor without them.</summary>
    public PipelineState? Layers { get; set; }

    /// <summary>A sequential actor's pass in flight: the input latched at its start, [envs, input] (empty otherwise).</summary>
    public float[] Latched { get; set; } = [];

    /// <summary>A sequential actor's completed pass: the input its acting output was computed from, [envs, input] (empty otherwise).</summary>
    public float[] Source { get; set; } = [];

    /// <summary>A sequential actor's acting output, [envs, output]: computed with the weights of its time, so a replay holds it constant (empty otherwise).</summary>
    public float[] Output { get; set; } = [];

    /// <summary>A sequential actor's ticks into the pass in flight (0: the next tick starts a pass and a new action).</summary>
    public int Phase { get; set; }
}
