using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// The values recorded on a tape by <see cref="UnrolledPipeline.Run(Tape, Tensor, int, UnrolledStart, PipelineState?, IReadOnlyList{bool[]}?)"/>:
/// per layer its start value and its values of every tick, as tick-major rows [ticks · batch, ...shape].
/// </summary>
public sealed class UnrolledRun
{
    private readonly PipelineGraph _graph;
    private readonly ExecutionMode _mode;
    private readonly Tape _tape;
    private readonly Var[] _start;

    // Layer-major: per layer, the values of all ticks, and (built on first use) the values before each tick.
    private readonly Var[]? _all;
    private readonly Var?[] _shifted;
    private readonly bool[]? _resetRows;

    // Per tick: _values[t + 1] computed during tick t (_values[0] the start), _before[t] what tick t read (reset applied).
    private readonly Var[][]? _values;
    private readonly Var[][]? _before;
    private readonly Var?[] _allFromTicks;

    /// <summary>A layer-major run; the caller fills <see cref="All"/> in an order where every source comes first.</summary>
    internal UnrolledRun(PipelineGraph graph, ExecutionMode mode, Tape tape, int ticks, int batch, Var[] start, bool[]? resetRows)
    {
        _graph = graph;
        _mode = mode;
        _tape = tape;
        Ticks = ticks;
        Batch = batch;
        _start = start;
        _resetRows = resetRows;
        _all = new Var[graph.Layers.Count];
        _shifted = new Var?[graph.Layers.Count];
        _allFromTicks = [];
    }

    /// <summary>A run recorded tick by tick (graphs with recurrent layers or previous-tick loops).</summary>
    internal UnrolledRun(PipelineGraph graph, ExecutionMode mode, Tape tape, int batch, Var[][] values, Var[][] before)
    {
        _graph = graph;
        _mode = mode;
        _tape = tape;
        Ticks = values.Length - 1;
        Batch = batch;
        _start = values[0];
        _values = values;
        _before = before;
        _shifted = new Var?[graph.Layers.Count];
        _allFromTicks = new Var?[graph.Layers.Count];
    }

    /// <summary>The number of ticks recorded.</summary>
    public int Ticks { get; }

    /// <summary>The number of envs (rows per tick).</summary>
    public int Batch { get; }

    /// <summary>Whether the window was computed layer by layer over all ticks at once (graphs without recurrence) rather than tick by tick.</summary>
    public bool IsLayerMajor => _all is not null;

    /// <summary>Per layer: its values of all ticks, [ticks · batch, ...] (layer-major runs only).</summary>
    internal Var[] All => _all ?? throw new InvalidOperationException("A run recorded tick by tick has no layer-major values.");

    /// <summary>The value of <paramref name="head"/> that acts during tick <paramref name="tick"/> (its value of the tick before when pipelined).</summary>
    public Var Output(int tick, string head)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)tick, (uint)Ticks, nameof(tick));
        var index = _graph[head].Index;
        if (_values is not null)
        {
            return _mode == ExecutionMode.Pipelined ? _before![tick][index] : _values[tick + 1][index];
        }

        return _tape.SliceRows(Acting(index), tick * Batch, Batch);
    }

    /// <summary>The values of <paramref name="head"/> that act during every tick, tick-major [ticks · batch, ...] (row t · batch + env).</summary>
    public Var Outputs(string head) => Acting(_graph[head].Index);

    /// <summary>The value layer <paramref name="layer"/> computed during tick <paramref name="tick"/> ([batch, ...shape]).</summary>
    public Var Value(int tick, string layer)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)tick, (uint)Ticks, nameof(tick));
        var index = _graph[layer].Index;
        return _values is not null ? _values[tick + 1][index] : _tape.SliceRows(_all![index], tick * Batch, Batch);
    }

    /// <summary>The value of <paramref name="layer"/> before the first tick (the start values).</summary>
    public Var Initial(string layer) => _start[_graph[layer].Index];

    /// <summary>
    /// The values of layer <paramref name="l"/> that the ticks read over a previous-tick edge, tick-major: its start value,
    /// then its values of ticks 0..T-2, zero for an env whose episode starts at that tick when resetting.
    /// </summary>
    internal Var Shifted(int l)
    {
        if (_shifted[l] is { } cached)
        {
            return cached;
        }

        Var shifted;
        if (_before is not null)
        {
            shifted = Ticks == 1 ? _before[0][l] : _tape.ConcatRows(Column(_before, 0, l));
        }
        else
        {
            shifted = Ticks == 1 ? _start[l] : _tape.ConcatRows(_start[l], _tape.SliceRows(_all![l], 0, (Ticks - 1) * Batch));
            if (_resetRows is not null)
            {
                shifted = _tape.Mul(shifted, _tape.Input(RowMask(_resetRows, _graph.Layers[l], Batch, Ticks)));
            }
        }

        _shifted[l] = shifted;
        return shifted;
    }

    /// <summary>The values of layer <paramref name="l"/> during each tick: pipelined, the values before it; instant, those it computes.</summary>
    private Var Acting(int l)
    {
        if (_mode == ExecutionMode.Pipelined)
        {
            return Shifted(l);
        }

        if (_all is not null)
        {
            return _all[l];
        }

        return _allFromTicks[l] ??= Ticks == 1 ? _values![1][l] : _tape.ConcatRows(Column(_values!, 1, l));
    }

    private Var[] Column(Var[][] values, int from, int l)
    {
        var column = new Var[Ticks];
        for (var t = 0; t < Ticks; t++)
        {
            column[t] = values[from + t][l];
        }

        return column;
    }

    private static Tensor RowMask(bool[] resetRows, GraphLayer layer, int batch, int ticks)
    {
        var size = layer.OutputSize;
        var mask = Tensor.Zeros(UnrolledPipeline.TapeShape(layer.OutputShape, ticks * batch));
        for (var row = 0; row < resetRows.Length; row++)
        {
            mask.Span.Slice(row * size, size).Fill(resetRows[row] ? 0f : 1f);
        }

        return mask;
    }
}
