using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// Records a window of T ticks of a <see cref="PipelineNetwork"/> on a <see cref="Tape"/>, so a loss on any tick's
/// output back-propagates through the whole window (and into the start values when they come from an instant pass).
/// </summary>
public sealed class UnrolledPipeline
{
    private readonly PipelineNetwork _network;
    private readonly PipelineGraph _graph;
    private readonly TickPlan _plan;
    private readonly TickPlan _instant;

    /// <summary>Creates an unroller of <paramref name="network"/>; <paramref name="boundary"/> applies at episode starts inside a window.</summary>
    public UnrolledPipeline(PipelineNetwork network, ExecutionMode mode = ExecutionMode.Pipelined, EpisodeBoundary boundary = EpisodeBoundary.Carry)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        _graph = network.Graph;
        _plan = new TickPlan(_graph, mode);
        _instant = mode == ExecutionMode.Instant ? _plan : new TickPlan(_graph, ExecutionMode.Instant);
        Mode = mode;
        Boundary = boundary;
    }

    /// <summary>How each tick is run.</summary>
    public ExecutionMode Mode { get; }

    /// <summary>What happens to an env's layer values where a new episode starts inside the window.</summary>
    public EpisodeBoundary Boundary { get; }

    /// <summary>
    /// Records <paramref name="inputs"/>.Count ticks; tick t reads <paramref name="inputs"/>[t] ([batch, input size],
    /// single-input graphs; kept unchanged until backward). <paramref name="episodeStarts"/>[t][env] marks a new
    /// episode at tick t (applies <see cref="Boundary"/> first).
    /// </summary>
    public UnrolledRun Run(Tape tape, IReadOnlyList<Tensor> inputs, UnrolledStart start = UnrolledStart.Zero, PipelineState? initial = null, IReadOnlyList<bool[]>? episodeStarts = null)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(inputs);
        if (_graph.Inputs.Count != 1)
        {
            throw new InvalidOperationException($"Unrolling needs a single-input graph; this one has {_graph.Inputs.Count} inputs.");
        }

        if (inputs.Count == 0)
        {
            throw new ArgumentException("An unrolled window needs at least one tick of input.", nameof(inputs));
        }

        var inputLayer = _graph.Layers[_graph.Inputs[0]];
        var batch = inputs[0].Length / inputLayer.OutputSize;
        if (batch < 1 || inputs.Any(x => x.Length != batch * inputLayer.OutputSize))
        {
            throw new ArgumentException($"Every tick's input must hold batch x {inputLayer.OutputSize} values with the same batch.", nameof(inputs));
        }

        if (episodeStarts is not null && (episodeStarts.Count != inputs.Count || episodeStarts.Any(e => e.Length != batch)))
        {
            throw new ArgumentException($"episodeStarts needs {inputs.Count} ticks of {batch} flags.", nameof(episodeStarts));
        }

        var values = new Var[inputs.Count + 1][];
        var cells = new Var[_graph.Layers.Count];
        values[0] = Start(tape, inputs[0], batch, start, initial, cells);
        for (var t = 0; t < inputs.Count; t++)
        {
            if (episodeStarts is not null && Boundary == EpisodeBoundary.Reset && Array.IndexOf(episodeStarts[t], true) >= 0)
            {
                // As a streaming executor's reset: the new episode's env acts from, and continues with, zero values.
                values[t] = Masked(tape, values[t], cells, episodeStarts[t], batch);
            }

            values[t + 1] = Tick(tape, _plan, inputs[t], values[t], cells, batch);
        }

        return new UnrolledRun(_graph, Mode, values);
    }

    private Var[] Start(Tape tape, Tensor firstInput, int batch, UnrolledStart start, PipelineState? initial, Var[] cells)
    {
        switch (start)
        {
            case UnrolledStart.Zero:
                return Constants(tape, batch, null, cells);
            case UnrolledStart.Given:
                if (initial is null || !initial.BelongsTo(_graph) || initial.Batch != batch)
                {
                    throw new ArgumentException($"UnrolledStart.Given needs a state of this network's graph for {batch} envs.", nameof(initial));
                }

                return Constants(tape, batch, initial, cells);
            case UnrolledStart.Instant:
                var zero = Constants(tape, batch, null, cells);
                return Tick(tape, _instant, firstInput, zero, cells, batch);
            default:
                throw new ArgumentOutOfRangeException(nameof(start), start, "Unknown start.");
        }
    }

    private Var[] Constants(Tape tape, int batch, PipelineState? state, Var[] cells)
    {
        var result = new Var[_graph.Layers.Count];
        foreach (var layer in _graph.Layers)
        {
            var shape = TapeShape(layer.OutputShape, batch);
            result[layer.Index] = tape.Input(state is null ? Tensor.Zeros(shape) : Tensor.FromArray((float[])state.Values[layer.Index].Clone(), shape));
            if (layer.IsRecurrent)
            {
                cells[layer.Index] = tape.Input(state is null ? Tensor.Zeros(shape) : Tensor.FromArray((float[])state.Cells[layer.Index].Clone(), shape));
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

    private Var[] Tick(Tape tape, TickPlan plan, Tensor input, Var[] previous, Var[] cells, int batch)
    {
        var current = new Var[_graph.Layers.Count];
        var nextCells = (Var[])cells.Clone();
        Span<Var> parts = new Var[8];
        foreach (var l in plan.Order)
        {
            var layer = _graph.Layers[l];
            if (layer.Kind == LayerKind.Input)
            {
                current[l] = tape.Input(input.View(TapeShape(layer.OutputShape, batch)));
                continue;
            }

            var count = layer.Inputs.Count;
            var sources = count <= parts.Length ? parts[..count] : new Var[count];
            for (var j = 0; j < count; j++)
            {
                var source = layer.Inputs[j].Source;
                sources[j] = plan.SameTick[l][j] ? current[source] : previous[source];
            }

            current[l] = Layer(tape, layer, sources, previous[l], cells[l], out var cell, batch);
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
                return Activate(tape, spec.Activation, ((Linear)module!).Forward(tape, x[0]));
            case LayerKind.Conv2d:
                return Activate(tape, spec.Activation, ((Conv2d)module!).Forward(tape, x[0]));
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
