using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// Records a window of T ticks of a <see cref="PipelineNetwork"/> on a <see cref="Tape"/>, so a loss on any tick's
/// output back-propagates through the whole window (and into the start values when they come from an instant pass).
/// </summary>
/// <remarks>
/// Without recurrence (no LSTM cell, no loop of previous-tick edges) a layer's value at tick t depends only on its
/// sources at tick t (same-tick edge) or t − 1 (previous-tick edge), so the window is computed layer by layer: each
/// layer once for all ticks on T · batch tick-major rows, a previous-tick edge reading its source's rows shifted by
/// one tick behind the start value. That is the tick-by-tick computation with T times fewer, T times larger
/// operations. Graphs with recurrence are recorded tick by tick.
/// </remarks>
public sealed class UnrolledPipeline
{
    private readonly PipelineNetwork _network;
    private readonly PipelineGraph _graph;
    private readonly TickPlan _plan;
    private readonly TickPlan _instant;
    private readonly int[]? _layerMajorOrder;
    private readonly int _maxInputs;
    private readonly bool _readsPrevious;
    private Tensor[] _zeros = [];
    private int _zerosBatch;

    /// <summary>
    /// Creates an unroller of <paramref name="network"/>; <paramref name="boundary"/> applies at episode starts inside a
    /// window. <paramref name="layerMajor"/> false records every window tick by tick (the reference computation).
    /// </summary>
    public UnrolledPipeline(PipelineNetwork network, ExecutionMode mode = ExecutionMode.Pipelined, EpisodeBoundary boundary = EpisodeBoundary.Carry, bool layerMajor = true)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        _graph = network.Graph;
        _plan = new TickPlan(_graph, mode);
        _instant = mode != ExecutionMode.Pipelined ? _plan : new TickPlan(_graph, ExecutionMode.Instant);
        _layerMajorOrder = layerMajor && !_graph.Layers.Any(l => l.IsRecurrent) ? TickPlan.WholeGraphOrder(_graph) : null;
        _maxInputs = _graph.Layers.Max(l => l.Inputs.Count);
        _readsPrevious = _plan.SameTick.Any(edges => Array.IndexOf(edges, false) >= 0);
        Mode = mode;
        Boundary = boundary;
    }

    /// <summary>How each tick is run.</summary>
    public ExecutionMode Mode { get; }

    /// <summary>What happens to an env's layer values where a new episode starts inside the window.</summary>
    public EpisodeBoundary Boundary { get; }

    /// <summary>Whether windows are computed layer by layer over all ticks at once (see remarks) rather than tick by tick.</summary>
    public bool IsLayerMajor => _layerMajorOrder is not null;

    /// <summary>
    /// Records <paramref name="inputs"/>.Count ticks; tick t reads <paramref name="inputs"/>[t] ([batch, input size],
    /// single-input graphs; copied into one tick-major tensor). <paramref name="episodeStarts"/>[t][env] marks a new
    /// episode at tick t (applies <see cref="Boundary"/> first).
    /// </summary>
    public UnrolledRun Run(Tape tape, IReadOnlyList<Tensor> inputs, UnrolledStart start = UnrolledStart.Zero, PipelineState? initial = null, IReadOnlyList<bool[]>? episodeStarts = null, UnrolledTarget? target = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("An unrolled window needs at least one tick of input.", nameof(inputs));
        }

        var length = inputs[0].Length;
        if (inputs.Any(x => x.Length != length))
        {
            throw new ArgumentException("Every tick's input must hold the same number of values.", nameof(inputs));
        }

        var all = Tensor.Zeros(new Shape(inputs.Count * length));
        for (var t = 0; t < inputs.Count; t++)
        {
            inputs[t].Span.CopyTo(all.Span.Slice(t * length, length));
        }

        return Run(tape, all, inputs.Count, start, initial, episodeStarts, target);
    }

    /// <summary>
    /// Records <paramref name="ticks"/> ticks; <paramref name="inputs"/> holds them tick-major (row t · batch + env of
    /// [ticks · batch, input size], single-input graphs; kept unchanged until backward). <paramref name="episodeStarts"/>[t][env]
    /// marks a new episode at tick t (applies <see cref="Boundary"/> first). With a <paramref name="target"/>, a layer-major
    /// run computes each layer only on the ticks the target's outputs depend on (see <see cref="UnrolledTarget"/>).
    /// </summary>
    public UnrolledRun Run(Tape tape, Tensor inputs, int ticks, UnrolledStart start = UnrolledStart.Zero, PipelineState? initial = null, IReadOnlyList<bool[]>? episodeStarts = null, UnrolledTarget? target = null)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(inputs);
        if (_graph.Inputs.Count != 1)
        {
            throw new InvalidOperationException($"Unrolling needs a single-input graph; this one has {_graph.Inputs.Count} inputs.");
        }

        if (ticks < 1)
        {
            throw new ArgumentException("An unrolled window needs at least one tick of input.", nameof(ticks));
        }

        var inputLayer = _graph.Layers[_graph.Inputs[0]];
        var batch = inputs.Length / (ticks * inputLayer.OutputSize);
        if (batch < 1 || inputs.Length != ticks * batch * inputLayer.OutputSize)
        {
            throw new ArgumentException($"The inputs must hold {ticks} ticks of batch x {inputLayer.OutputSize} values, got {inputs.Length}.", nameof(inputs));
        }

        if (episodeStarts is not null && (episodeStarts.Count != ticks || episodeStarts.Any(e => e.Length != batch)))
        {
            throw new ArgumentException($"episodeStarts needs {ticks} ticks of {batch} flags.", nameof(episodeStarts));
        }

        if (target is not null && (uint)target.FromTick >= (uint)ticks)
        {
            throw new ArgumentException($"The target's first tick must be in 0..{ticks - 1}; got {target.FromTick}.", nameof(target));
        }

        var resets = episodeStarts is not null && Boundary == EpisodeBoundary.Reset && episodeStarts.Any(e => Array.IndexOf(e, true) >= 0);
        var x = tape.Input(inputs.View(TapeShape(inputLayer.OutputShape, ticks * batch)));
        var cells = new Var[_graph.Layers.Count];
        if (_layerMajorOrder is { } order)
        {
            var (first, count, readsStart) = Needed(order, ticks, target);
            // Start values no needed value reads (an instant window, a target that needs none) are not recorded: an
            // instant start costs a whole tick, and zeros of every layer for each new batch size would be garbage.
            var startValues = readsStart ? Start(tape, x, batch, start, initial, cells) : Unread(batch, start, initial);
            return LayerMajor(tape, order, x, ticks, batch, startValues, resets ? [.. episodeStarts!.SelectMany(e => e)] : null, first, count, target?.FromTick ?? 0);
        }

        return TickByTick(tape, x, ticks, batch, Start(tape, x, batch, start, initial, cells), cells, resets ? episodeStarts : null, target?.FromTick ?? 0);
    }

    /// <summary>
    /// Per layer, the first tick and the number of ticks it must be computed on for <paramref name="target"/> (all ticks
    /// without one), found backwards from the target's acting values: a same-tick edge needs its source on the same
    /// ticks, a previous-tick edge one tick earlier (tick −1 is the start value, which is then read).
    /// </summary>
    private (int[] First, int[] Count, bool ReadsStart) Needed(int[] order, int ticks, UnrolledTarget? target)
    {
        var n = _graph.Layers.Count;
        var first = new int[n];
        var count = new int[n];
        if (target is null)
        {
            Array.Fill(count, ticks);
            return (first, count, _readsPrevious);
        }

        var lo = new int[n];
        var hi = new int[n];
        Array.Fill(lo, int.MaxValue);
        Array.Fill(hi, int.MinValue);
        var head = _graph[target.Head].Index;
        // Pipelined, a head acts during tick t with the value it computed during tick t − 1.
        var acting = Mode == ExecutionMode.Pipelined ? 1 : 0;
        (lo[head], hi[head]) = (target.FromTick - acting, ticks - acting);
        for (var i = order.Length - 1; i >= 0; i--)
        {
            var l = order[i];
            var (a, b) = (Math.Max(lo[l], 0), hi[l]);
            if (a >= b)
            {
                continue;
            }

            var inputs = _graph.Layers[l].Inputs;
            for (var j = 0; j < inputs.Count; j++)
            {
                var s = inputs[j].Source;
                var shift = _plan.SameTick[l][j] ? 0 : 1;
                lo[s] = Math.Min(lo[s], a - shift);
                hi[s] = Math.Max(hi[s], b - shift);
            }
        }

        var readsStart = false;
        for (var l = 0; l < n; l++)
        {
            readsStart |= lo[l] < 0 && hi[l] > lo[l];
            first[l] = Math.Max(lo[l], 0);
            // A layer no needed value reads keeps lo = int.MaxValue and hi = int.MinValue, whose difference would overflow.
            count[l] = hi[l] > first[l] ? hi[l] - first[l] : 0;
        }

        foreach (var input in _graph.Inputs)
        {
            // The inputs are given for every tick.
            (first[input], count[input]) = (0, ticks);
        }

        return (first, count, readsStart);
    }

    private UnrolledRun LayerMajor(Tape tape, int[] order, Var x, int ticks, int batch, Var[] start, bool[]? resetRows, int[] first, int[] count, int outputsFrom)
    {
        var run = new UnrolledRun(_graph, Mode, tape, ticks, batch, start, resetRows, first, count, outputsFrom);
        var all = run.All;
        var sources = new Var[_maxInputs];
        foreach (var l in order)
        {
            var layer = _graph.Layers[l];
            if (layer.Kind == LayerKind.Input)
            {
                all[l] = x;
                continue;
            }

            if (count[l] == 0)
            {
                continue;
            }

            var (a, b) = (first[l], first[l] + count[l]);
            var inputCount = layer.Inputs.Count;
            for (var j = 0; j < inputCount; j++)
            {
                var source = layer.Inputs[j].Source;
                sources[j] = _plan.SameTick[l][j] ? run.Rows(source, a, b) : run.Shifted(source, a, b);
            }

            all[l] = Layer(tape, layer, sources.AsSpan(0, inputCount), default, default, out _, count[l] * batch);
        }

        return run;
    }

    private UnrolledRun TickByTick(Tape tape, Var x, int ticks, int batch, Var[] start, Var[] cells, IReadOnlyList<bool[]>? episodeStarts, int outputsFrom)
    {
        var values = new Var[ticks + 1][];
        var before = new Var[ticks][];
        values[0] = start;
        for (var t = 0; t < ticks; t++)
        {
            // As a streaming executor's reset: the new episode's env acts from, and continues with, zero values.
            before[t] = episodeStarts is not null && Array.IndexOf(episodeStarts[t], true) >= 0 ? Masked(tape, values[t], cells, episodeStarts[t], batch) : values[t];
            values[t + 1] = Tick(tape, _plan, tape.SliceRows(x, t * batch, batch), before[t], cells, batch);
        }

        return new UnrolledRun(_graph, Mode, tape, batch, values, before, outputsFrom);
    }

    private Var[] Start(Tape tape, Var x, int batch, UnrolledStart start, PipelineState? initial, Var[] cells)
    {
        switch (start)
        {
            case UnrolledStart.Zero:
                return Constants(tape, batch, null, cells);
            case UnrolledStart.Given:
                CheckGiven(initial, batch);
                return Constants(tape, batch, initial, cells);
            case UnrolledStart.Instant:
                var zero = Constants(tape, batch, null, cells);
                return Tick(tape, _instant, tape.SliceRows(x, 0, batch), zero, cells, batch);
            default:
                throw new ArgumentOutOfRangeException(nameof(start), start, "Unknown start.");
        }
    }

    /// <summary>The start values of a run that reads none: unrecorded (a given state is still checked).</summary>
    private Var[] Unread(int batch, UnrolledStart start, PipelineState? initial)
    {
        if (start == UnrolledStart.Given)
        {
            CheckGiven(initial, batch);
        }

        return new Var[_graph.Layers.Count];
    }

    private void CheckGiven(PipelineState? initial, int batch)
    {
        if (initial is null || !initial.BelongsTo(_graph) || initial.Batch != batch)
        {
            throw new ArgumentException($"UnrolledStart.Given needs a state of this network's graph for {batch} envs.", nameof(initial));
        }
    }

    private Var[] Constants(Tape tape, int batch, PipelineState? state, Var[] cells)
    {
        if (state is null && _zerosBatch != batch)
        {
            // Zero start values are never written (they are tape inputs without gradient), so one set serves every window of this batch.
            _zeros = [.. _graph.Layers.Select(l => Tensor.Zeros(TapeShape(l.OutputShape, batch)))];
            _zerosBatch = batch;
        }

        var result = new Var[_graph.Layers.Count];
        foreach (var layer in _graph.Layers)
        {
            var shape = TapeShape(layer.OutputShape, batch);
            result[layer.Index] = tape.Input(state is null ? _zeros[layer.Index] : Tensor.FromArray((float[])state.Values[layer.Index].Clone(), shape));
            if (layer.IsRecurrent)
            {
                cells[layer.Index] = tape.Input(state is null ? _zeros[layer.Index] : Tensor.FromArray((float[])state.Cells[layer.Index].Clone(), shape));
            }
        }

        return result;
    }

    private Var[] Masked(Tape tape, Var[] previous, Var[] cells, bool[] starts, int batch)
    {
        var result = new Var[previous.Length];
        foreach (var layer in _graph.Layers)
        {
            var mask = Tensor.Zeros(new Shape(batch * layer.OutputSize));
            for (var env = 0; env < batch; env++)
            {
                mask.Span.Slice(env * layer.OutputSize, layer.OutputSize).Fill(starts[env] ? 0f : 1f);
            }

            var m = tape.Input(mask);
            result[layer.Index] = tape.Mul(previous[layer.Index], m);
            if (layer.IsRecurrent)
            {
                cells[layer.Index] = tape.Mul(cells[layer.Index], m);
            }
        }

        return result;
    }

    private Var[] Tick(Tape tape, TickPlan plan, Var input, Var[] previous, Var[] cells, int batch)
    {
        var current = new Var[_graph.Layers.Count];
        var nextCells = (Var[])cells.Clone();
        var sources = new Var[_maxInputs];
        foreach (var l in plan.Order)
        {
            var layer = _graph.Layers[l];
            if (layer.Kind == LayerKind.Input)
            {
                current[l] = input;
                continue;
            }

            var count = layer.Inputs.Count;
            for (var j = 0; j < count; j++)
            {
                var source = layer.Inputs[j].Source;
                sources[j] = plan.SameTick[l][j] ? current[source] : previous[source];
            }

            current[l] = Layer(tape, layer, sources.AsSpan(0, count), previous[l], cells[l], out var cell, batch);
            if (layer.IsRecurrent)
            {
                nextCells[l] = cell;
            }
        }

        Array.Copy(nextCells, cells, cells.Length);
        return current;
    }

    private Var Layer(Tape tape, GraphLayer layer, ReadOnlySpan<Var> x, Var own, Var ownCell, out Var cell, int batch)
    {
        var spec = layer.Spec;
        var module = _network.Module(layer.Index);
        cell = default;
        switch (layer.Kind)
        {
            case LayerKind.Dense:
            case LayerKind.CategoricalHead:
            case LayerKind.GaussianHead:
            case LayerKind.ValueHead:
                // ReLU is fused into the layer (no separate passes over its output); other activations are recorded after it.
                return spec.Activation == Graph.Activation.Relu
                    ? ((Linear)module!).Forward(tape, x[0], relu: true)
                    : Activate(tape, spec.Activation, ((Linear)module!).Forward(tape, x[0]));
            case LayerKind.Conv2d:
                return spec.Activation == Graph.Activation.Relu
                    ? ((Conv2d)module!).Forward(tape, x[0], relu: true)
                    : Activate(tape, spec.Activation, ((Conv2d)module!).Forward(tape, x[0]));
            case LayerKind.LstmCell:
                var (h, c) = ((LstmCell)module!).Forward(tape, x[0], own, ownCell);
                cell = c;
                return h;
            case LayerKind.Activation:
                return Activate(tape, spec.Activation, x[0]);
            case LayerKind.Pool:
                return spec.Pool == PoolMode.Max ? tape.MaxPool2d(x[0], spec.Kernel) : tape.AvgPool2d(x[0], spec.Kernel);
            case LayerKind.Scale:
                return tape.Scale(x[0], spec.Factor);
            case LayerKind.Add:
                var sum = tape.Add(x[0], x[1]);
                for (var j = 2; j < x.Length; j++)
                {
                    sum = tape.Add(sum, x[j]);
                }

                return sum;
            case LayerKind.Flatten:
            case LayerKind.Reshape:
                return tape.Reshape(x[0], TapeShape(layer.OutputShape, batch));
            case LayerKind.Slice:
                return tape.Slice(x[0], spec.Start, spec.Length);
            case LayerKind.Concat:
                return tape.Concat(x);
            default:
                throw new InvalidOperationException($"Layer '{layer.Name}' ({layer.Kind}) is not computed by a tick.");
        }
    }

    private static Var Activate(Tape tape, Graph.Activation activation, Var x) => activation switch
    {
        Graph.Activation.Relu => tape.Relu(x),
        Graph.Activation.Tanh => tape.Tanh(x),
        Graph.Activation.Sigmoid => tape.Sigmoid(x),
        _ => x,
    };

    /// <summary>The engine shape of a batch of values of <paramref name="shape"/>: [batch, n] or [batch, H, W, C].</summary>
    internal static Shape TapeShape(IReadOnlyList<int> shape, int batch) => shape.Count switch
    {
        1 => new Shape(batch, shape[0]),
        2 => new Shape(batch, shape[0], shape[1]),
        _ => new Shape(batch, shape[0], shape[1], shape[2]),
    };
}
