using PipeRL.Pipeline.Graph;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// The layer values of a running pipeline for a batch of envs: row-major [batch, layer size] per layer, plus the
/// cell state of each LSTM cell. A tick reads the values of the previous tick from such a state.
/// </summary>
public sealed class PipelineState
{
    private readonly PipelineGraph _graph;
    private readonly List<byte[]> _spacers = [];

    /// <summary>A zero state of <paramref name="graph"/> for <paramref name="batch"/> envs.</summary>
    public PipelineState(PipelineGraph graph, int batch)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        _graph = graph;
        Batch = batch;
        Values = SeparateLines.Arrays<float>(graph.Layers.Select(l => batch * l.OutputSize), _spacers);
        Cells = SeparateLines.Arrays<float>(graph.Layers.Select(l => l.IsRecurrent ? batch * l.OutputSize : 0), _spacers);
    }

    /// <summary>The number of envs.</summary>
    public int Batch { get; }

    /// <summary>The value of layer <paramref name="name"/>, [batch, size] row-major.</summary>
    public Span<float> Value(string name) => Values[_graph[name].Index];

    /// <summary>The cell state c of LSTM layer <paramref name="name"/>, [batch, units].</summary>
    public Span<float> Cell(string name) => Cells[_graph[name].Index];

    /// <summary>Per layer: the values, [batch, size].</summary>
    internal float[][] Values { get; }

    /// <summary>Per layer: the LSTM cell state (empty for other layers).</summary>
    internal float[][] Cells { get; }

    /// <summary>Sets every value of env <paramref name="env"/> to zero.</summary>
    public void ClearEnv(int env)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)env, (uint)Batch, nameof(env));
        for (var l = 0; l < Values.Length; l++)
        {
            var size = _graph.Layers[l].OutputSize;
            Values[l].AsSpan(env * size, size).Clear();
            if (Cells[l].Length > 0)
            {
                Cells[l].AsSpan(env * size, size).Clear();
            }
        }
    }

    /// <summary>Sets every value to zero.</summary>
    public void Clear()
    {
        foreach (var v in Values)
        {
            Array.Clear(v);
        }

        foreach (var c in Cells)
        {
            Array.Clear(c);
        }
    }

    /// <summary>Copies <paramref name="source"/> (same graph and batch) into this state.</summary>
    public void CopyFrom(PipelineState source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!ReferenceEquals(source._graph, _graph) || source.Batch != Batch)
        {
            throw new ArgumentException("Pipeline states can only be copied between the same graph and batch size.", nameof(source));
        }

        for (var l = 0; l < Values.Length; l++)
        {
            source.Values[l].CopyTo(Values[l], 0);
            source.Cells[l].CopyTo(Cells[l], 0);
        }
    }

    /// <summary>Copies the rows of envs <paramref name="envs"/> of <paramref name="source"/> (same graph) into this state's rows 0, 1, …</summary>
    public void CopyEnvsFrom(PipelineState source, ReadOnlySpan<int> envs)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!ReferenceEquals(source._graph, _graph) || envs.Length != Batch)
        {
            throw new ArgumentException($"Copying {envs.Length} envs needs a state of the same graph with batch {envs.Length}.", nameof(source));
        }

        for (var l = 0; l < Values.Length; l++)
        {
            var size = _graph.Layers[l].OutputSize;
            for (var j = 0; j < envs.Length; j++)
            {
                source.Values[l].AsSpan(envs[j] * size, size).CopyTo(Values[l].AsSpan(j * size, size));
                if (Cells[l].Length > 0)
                {
                    source.Cells[l].AsSpan(envs[j] * size, size).CopyTo(Cells[l].AsSpan(j * size, size));
                }
            }
        }
    }

    /// <summary>A deep copy.</summary>
    public PipelineState Clone()
    {
        var copy = new PipelineState(_graph, Batch);
        copy.CopyFrom(this);
        return copy;
    }

    internal bool BelongsTo(PipelineGraph graph) => ReferenceEquals(graph, _graph);
}
