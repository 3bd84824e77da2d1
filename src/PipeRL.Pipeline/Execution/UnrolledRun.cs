using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// The values recorded on a tape by <see cref="UnrolledPipeline.Run(Tape, Tensor, int, UnrolledStart, PipelineState?, IReadOnlyList{bool[]}?, UnrolledTarget?)"/>:
/// per layer its start value and its values of every tick, as tick-major rows [ticks · batch, ...shape]. A layer-major run
/// with an <see cref="UnrolledTarget"/> holds each layer's values only on the ticks the target needs.
/// </summary>
public sealed class UnrolledRun
{
    private readonly PipelineGraph _graph;
    private readonly ExecutionMode _mode;
    private readonly Tape _tape;
    private readonly Var[] _start;

    // Layer-major: per layer, its values of ticks _first[l] .. _first[l] + _count[l] - 1, and (built on first use) the
    // values before each of the ticks _shiftedTicks[l].
    private readonly Var[]? _all;
    private readonly int[] _first;
    private readonly int[] _count;
    private readonly Var?[] _shifted;
    private readonly (int From, int To)[] _shiftedTicks;
    private readonly bool[]? _resetRows;

    // Per tick: _values[t + 1] computed during tick t (_values[0] the start), _before[t] what tick t read (reset applied).
    private readonly Var[][]? _values;
    private readonly Var[][]? _before;
    private readonly Var?[] _allFromTicks;

    /// <summary>
    /// A layer-major run where layer l is computed on <paramref name="count"/>[l] ticks from <paramref name="first"/>[l];
    /// the caller fills <see cref="All"/> in an order where every source comes first.
    /// </summary>
    internal UnrolledRun(PipelineGraph graph, ExecutionMode mode, Tape tape, int ticks, int batch, Var[] start, bool[]? resetRows, int[] first, int[] count, int outputsFrom)
    {
        _graph = graph;
        _mode = mode;
        _tape = tape;
        Ticks = ticks;
        Batch = batch;
        OutputsFrom = outputsFrom;
        _start = start;
        _resetRows = resetRows;
        _all = new Var[graph.Layers.Count];
        _first = first;
        _count = count;
        _shifted = new Var?[graph.Layers.Count];
        _shiftedTicks = new (int, int)[graph.Layers.Count];
        _allFromTicks = [];
    }

    /// <summary>A run recorded tick by tick (graphs with recurrent layers or previous-tick loops).</summary>
    internal UnrolledRun(PipelineGraph graph, ExecutionMode mode, Tape tape, int batch, Var[][] values, Var[][] before, int outputsFrom)
    {
        _graph = graph;
        _mode = mode;
        _tape = tape;
        Ticks = values.Length - 1;
        Batch = batch;
        OutputsFrom = outputsFrom;
        _start = values[0];
        _values = values;
        _before = before;
        _first = [];
        _count = [];
        _shifted = new Var?[graph.Layers.Count];
        _shiftedTicks = new (int, int)[graph.Layers.Count];
        _allFromTicks = new Var?[graph.Layers.Count];
    }

    /// <summary>The number of ticks recorded.</summary>
    public int Ticks { get; }

    /// <summary>The number of envs (rows per tick).</summary>
    public int Batch { get; }

    /// <summary>The first tick of <see cref="Outputs"/>: the target's first tick, 0 for a run without a target.</summary>
    public int OutputsFrom { get; }

    /// <summary>Whether the window was computed layer by layer over all ticks at once (graphs without recurrence) rather than tick by tick.</summary>
    public bool IsLayerMajor => _all is not null;

    /// <summary>Per layer: its values of the ticks it is computed on, [ticks · batch, ...] (layer-major runs only).</summary>
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

        return _mode == ExecutionMode.Pipelined ? Shifted(index, tick, tick + 1) : Rows(index, tick, tick + 1);
    }

    /// <summary>
    /// The values of <paramref name="head"/> that act during every tick from <see cref="OutputsFrom"/> on, tick-major
    /// [(ticks − from) · batch, ...] (row (t − from) · batch + env).
    /// </summary>
    public Var Outputs(string head)
    {
        var acting = Acting(_graph[head].Index);
        return _values is not null && OutputsFrom > 0 ? _tape.SliceRows(acting, OutputsFrom * Batch, (Ticks - OutputsFrom) * Batch) : acting;
    }

    /// <summary>The value layer <paramref name="layer"/> computed during tick <paramref name="tick"/> ([batch, ...shape]).</summary>
    public Var Value(int tick, string layer)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)tick, (uint)Ticks, nameof(tick));
        var index = _graph[layer].Index;
        return _values is not null ? _values[tick + 1][index] : Rows(index, tick, tick + 1);
    }

    /// <summary>The value of <paramref name="layer"/> before the first tick (the start values; not recorded when no needed value reads them).</summary>
    public Var Initial(string layer) => _start[_graph[layer].Index] is { Tape: not null } value
        ? value
        : throw new InvalidOperationException($"This window's values do not read the start value of '{layer}', so it was not recorded.");

    /// <summary>The values layer <paramref name="l"/> computed during ticks <paramref name="from"/> .. <paramref name="to"/> − 1, tick-major (layer-major runs).</summary>
    internal Var Rows(int l, int from, int to)
    {
        var first = _first[l];
        if (from < first || to > first + _count[l])
        {
            throw new InvalidOperationException($"Layer '{_graph.Layers[l].Name}' was not computed on ticks {from}..{to - 1} of this window: its target needs only ticks {first}..{first + _count[l] - 1}.");
        }

        return from == first && to - from == _count[l] ? _all![l] : _tape.SliceRows(_all![l], (from - first) * Batch, (to - from) * Batch);
    }

    /// <summary>
    /// The values of layer <paramref name="l"/> that ticks <paramref name="from"/> .. <paramref name="to"/> − 1 read over a
    /// previous-tick edge, tick-major: its value of the tick before each (the start value before tick 0), zero for an env
    /// whose episode starts at that tick when resetting.
    /// </summary>
    internal Var Shifted(int l, int from, int to)
    {
        if (_shifted[l] is { } cached && _shiftedTicks[l] == (from, to))
        {
            return cached;
        }

        Var shifted;
        if (_before is not null)
        {
            shifted = to - from == 1 ? _before[from][l] : _tape.ConcatRows(Column(_before, 0, l).AsSpan(from, to - from));
        }
        else
        {
            shifted = from > 0 ? Rows(l, from - 1, to - 1) : to == 1 ? _start[l] : _tape.ConcatRows(_start[l], Rows(l, 0, to - 1));
            if (_resetRows is not null)
            {
                shifted = _tape.Mul(shifted, _tape.Input(RowMask(_resetRows.AsSpan(from * Batch, (to - from) * Batch), _graph.Layers[l])));
            }
        }

        (_shifted[l], _shiftedTicks[l]) = (shifted, (from, to));
        return shifted;
    }

    /// <summary>
    /// The values of layer <paramref name="l"/> during each tick from <see cref="OutputsFrom"/> (every tick when recorded tick
    /// by tick): pipelined, the values before it; instant, those it computes.
    /// </summary>
    private Var Acting(int l)
    {
        if (_all is not null)
        {
            return _mode == ExecutionMode.Pipelined ? Shifted(l, OutputsFrom, Ticks) : Rows(l, OutputsFrom, Ticks);
        }

        if (_mode == ExecutionMode.Pipelined)
        {
            return Shifted(l, 0, Ticks);
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

    private static Tensor RowMask(ReadOnlySpan<bool> resetRows, GraphLayer layer)
    {
        var size = layer.OutputSize;
        var mask = Tensor.Zeros(UnrolledPipeline.TapeShape(layer.OutputShape, resetRows.Length));
        for (var row = 0; row < resetRows.Length; row++)
        {
            mask.Span.Slice(row * size, size).Fill(resetRows[row] ? 0f : 1f);
        }

        return mask;
    }
}
