using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Execution;

/// <summary>The values recorded on a tape by <see cref="UnrolledPipeline.Run"/>, per tick.</summary>
public sealed class UnrolledRun
{
    private readonly PipelineGraph _graph;
    private readonly ExecutionMode _mode;
    private readonly Var[][] _values;

    internal UnrolledRun(PipelineGraph graph, ExecutionMode mode, Var[][] values)
    {
        _graph = graph;
        _mode = mode;
        _values = values;
    }

    /// <summary>The number of ticks recorded.</summary>
    public int Ticks => _values.Length - 1;

    /// <summary>The value of <paramref name="head"/> that acts during tick <paramref name="tick"/> (its value of the tick before when pipelined).</summary>
    public Var Output(int tick, string head)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)tick, (uint)Ticks, nameof(tick));
        var index = _graph[head].Index;
        return _mode == ExecutionMode.Pipelined ? _values[tick][index] : _values[tick + 1][index];
    }

    /// <summary>The value layer <paramref name="layer"/> computed during tick <paramref name="tick"/> ([batch, ...shape]).</summary>
    public Var Value(int tick, string layer)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)tick, (uint)Ticks, nameof(tick));
        return _values[tick + 1][_graph[layer].Index];
    }

    /// <summary>The value of <paramref name="layer"/> before the first tick (the start values).</summary>
    public Var Initial(string layer) => _values[0][_graph[layer].Index];
}
