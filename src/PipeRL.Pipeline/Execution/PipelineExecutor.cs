using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// Streams a <see cref="PipelineNetwork"/> one tick per call for a batch of envs, with the layer values as state.
/// In <see cref="ExecutionMode.Pipelined"/> mode each layer reads its inputs from the tick they are marked with,
/// and <see cref="Output"/> is the head's value of the previous tick (the one that acts during this tick); in
/// <see cref="ExecutionMode.Instant"/> mode the whole graph runs on the current input. With a
/// <see cref="WorkerPool"/> the independent layers of a tick run concurrently; the results are bit-identical.
/// </summary>
/// <remarks>
/// At small batch, dense layers skip their zero inputs (ReLU outputs, binary observations): they read only the rows of
/// a transposed weight copy that belong to nonzero inputs, and a batch-1 conv multiplies its patches, read in place from
/// a zero-padded copy of its input, by a weight copy packed for the engine's product; both copies are rebuilt when a
/// weight's <see cref="Parameter.Version"/> moves (optimizer steps and checkpoint restores announce it; call
/// <see cref="Parameter.MarkChanged"/> after writing a weight directly).
/// With a pool, a wave holding a big dense or conv layer runs its layers in order, each big one split over the threads
/// (sparse layers by output columns, a batch-1 conv by output pixels, the engine's products by rows); a wave holding
/// several such layers on the sparse or batch-1 paths (a pipelined tick) forks once for all their shares.
/// </remarks>
public sealed class PipelineExecutor
{
    /// <summary>Multiply-adds per sample from which a sparse layer is split over the pool's threads rather than run whole on one.</summary>
    private const long SplitCost = 256 * 1024;

    private readonly PipelineNetwork _network;
    private readonly PipelineGraph _graph;
    private readonly TickPlan _plan;
    private readonly WorkerPool? _workers;
    private readonly int[][][] _assignment;
    private readonly float[][][] _sourceBuffers;
    private readonly WaveWork _work;
    private readonly SparseLayers? _sparse;
    private readonly ConvShares? _convShares;
    private readonly bool[] _splitLayer;
    private readonly bool[] _splitWave;
    private readonly bool[] _soloWave;
    private readonly Chunk[]?[] _waveChunks;
    private readonly SplitWork _split;
    private readonly ChunkWork _chunks;
    private PipelineState _current;
    private PipelineState _previous;

    /// <summary>
    /// Creates an executor of <paramref name="network"/> for <paramref name="batch"/> envs, all values zero;
    /// <paramref name="skipZeroInputs"/> false keeps every layer on the engine's dense kernels.
    /// </summary>
    public PipelineExecutor(PipelineNetwork network, int batch, ExecutionMode mode = ExecutionMode.Pipelined, WorkerPool? workers = null, bool skipZeroInputs = true)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        _graph = network.Graph;
        _plan = new TickPlan(_graph, mode);
        _workers = workers;
        _assignment = _plan.Assign(workers?.ThreadCount ?? 1);
        _sourceBuffers = [.. _graph.Layers.Select(l => new float[l.Inputs.Count][])];
        _current = new PipelineState(_graph, batch);
        _previous = new PipelineState(_graph, batch);
        _work = new WaveWork(this);
        _split = new SplitWork(this);
        _chunks = new ChunkWork(this);
        _splitLayer = [.. _graph.Layers.Select(l => workers is { ThreadCount: > 1 } && network.Module(l.Index) is Linear or Conv2d && _plan.Cost[l.Index] >= SplitCost)];
        _sparse = skipZeroInputs && batch <= SparseLayers.MaxBatch ? new SparseLayers(network, batch, _splitLayer, workers?.ThreadCount ?? 1) : null;
        _convShares = batch == 1 ? new ConvShares(network, workers?.ThreadCount ?? 1) : null;
        _splitWave = [.. _plan.Computing.Select(wave => wave.Any(l => _splitLayer[l]))];
        _soloWave = [.. _assignment.Select(parts => parts.Count(p => p.Length > 0) <= 1)];
        _waveChunks = [.. Enumerable.Range(0, _plan.Computing.Length).Select(w => Chunks(w, workers?.ThreadCount ?? 1))];
        Batch = batch;
        Mode = mode;
    }

    /// <summary>The number of envs.</summary>
    public int Batch { get; }

    /// <summary>How the graph is run.</summary>
    public ExecutionMode Mode { get; }

    /// <summary>Ticks computed since creation or the last <see cref="Clear"/>.</summary>
    public long Ticks { get; private set; }

    /// <summary>The layer values after the last tick (what the next tick reads as the previous tick's values).</summary>
    public PipelineState State => _current;

    /// <summary>Runs one tick on the batch's input ([batch, input size], row-major) of a single-input graph.</summary>
    public void Tick(ReadOnlySpan<float> input)
    {
        if (_graph.Inputs.Count != 1)
        {
            throw new InvalidOperationException($"The graph has {_graph.Inputs.Count} inputs; set each with SetInput(name, values) and call Tick().");
        }

        (_current, _previous) = (_previous, _current);
        CopyInput(_graph.Inputs[0], input);
        Compute();
    }

    /// <summary>Sets the next tick's value of input <paramref name="name"/> ([batch, size]); then call <see cref="Tick()"/>.</summary>
    public void SetInput(string name, ReadOnlySpan<float> values)
    {
        var layer = _graph[name];
        if (layer.Kind != LayerKind.Input)
        {
            throw new ArgumentException($"'{name}' is not an input of the graph.", nameof(name));
        }

        // Inputs are staged in the buffer that becomes current at the next tick.
        Stage(layer.Index, values, _previous);
    }

    /// <summary>Runs one tick on the inputs set with <see cref="SetInput"/>.</summary>
    public void Tick()
    {
        (_current, _previous) = (_previous, _current);
        Compute();
    }

    /// <summary>The value of head <paramref name="head"/> that acts during the last tick: its previous-tick value when pipelined, its current value when instant.</summary>
    public ReadOnlySpan<float> Output(string head)
    {
        var layer = _graph[head];
        return (Mode == ExecutionMode.Pipelined ? _previous : _current).Values[layer.Index];
    }

    /// <summary>The value layer <paramref name="name"/> computed during the last tick, [batch, size].</summary>
    public ReadOnlySpan<float> Value(string name) => _current.Values[_graph[name].Index];

    /// <summary>Applies the episode-boundary policy to every env whose episode ended (<paramref name="done"/>[env]).</summary>
    public void EndEpisodes(ReadOnlySpan<bool> done, EpisodeBoundary policy)
    {
        if (done.Length != Batch)
        {
            throw new ArgumentException($"Expected {Batch} done flags, got {done.Length}.", nameof(done));
        }

        if (policy == EpisodeBoundary.Carry)
        {
            return;
        }

        for (var env = 0; env < Batch; env++)
        {
            if (done[env])
            {
                ResetEnv(env);
            }
        }
    }

    /// <summary>Sets every layer value of env <paramref name="env"/> to zero (the <see cref="EpisodeBoundary.Reset"/> policy).</summary>
    public void ResetEnv(int env)
    {
        _current.ClearEnv(env);
        _previous.ClearEnv(env);
    }

    /// <summary>Sets every value to zero and the tick count to 0.</summary>
    public void Clear()
    {
        _current.Clear();
        _previous.Clear();
        Ticks = 0;
    }

    /// <summary>Replaces the layer values with <paramref name="state"/> (the next tick reads them as the previous tick's values).</summary>
    public void Restore(PipelineState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _current.CopyFrom(state);
    }

    private void CopyInput(int index, ReadOnlySpan<float> values) => Stage(index, values, _current);

    private void Stage(int index, ReadOnlySpan<float> values, PipelineState state)
    {
        var buffer = state.Values[index];
        if (values.Length != buffer.Length)
        {
            throw new ArgumentException($"Input '{_graph.Layers[index].Name}' takes {buffer.Length} values ({Batch} x {_graph.Layers[index].OutputSize}), got {values.Length}.", nameof(values));
        }

        values.CopyTo(buffer);
    }

    private void Compute()
    {
        for (var w = 0; w < _plan.Computing.Length; w++)
        {
            foreach (var l in _plan.Wiring[w])
            {
                ComputeLayer(l);
            }

            if (_waveChunks[w] is { } chunks)
            {
                foreach (var l in _plan.Computing[w])
                {
                    Bind(l);
                    Prepare(l);
                }

                _chunks.Wave = w;
                _workers!.Run(_chunks, chunks.Length);
                continue;
            }

            // A wave with work for one thread only (a small conv, the heads) runs on the caller without a fork.
            if (_workers is null || _splitWave[w] || _soloWave[w])
            {
                foreach (var l in _plan.Computing[w])
                {
                    ComputeLayer(l);
                }
            }
            else
            {
                _work.Wave = w;
                _workers.Run(_work);
            }
        }

        Ticks++;
    }

    /// <summary>
    /// The chunks of wave <paramref name="w"/> as one fork: each split layer's shares and each other layer whole, biggest
    /// first, claimed by whichever thread is free (one fork per wave, and a thread that starts late takes fewer); null
    /// where the wave has fewer than two split layers or a split layer runs on the engine's own threaded product.
    /// </summary>
    private Chunk[]? Chunks(int w, int threads)
    {
        var split = _plan.Computing[w].Where(l => _splitLayer[l]).ToArray();
        if (threads < 2 || split.Length < 2 || !split.All(OnTickPath))
        {
            return null;
        }

        return [.. _plan.Computing[w]
            .OrderByDescending(l => _plan.Cost[l]).ThenBy(l => l)
            .SelectMany(l => _splitLayer[l]
                ? Enumerable.Range(0, threads).Select(part => new Chunk(l, part, threads))
                : [new Chunk(l, 0, 1)])];
    }

    private void ComputeLayer(int l)
    {
        Bind(l);
        if (Prepare(l) && _splitLayer[l])
        {
            _split.Layer = l;
            _workers!.Run(_split);
        }
        else
        {
            RunPart(l, 0, 1);
        }
    }

    /// <summary>Whether layer <paramref name="l"/> runs on a batch-1 or small-batch path (sparse dense, batch-1 conv) that splits into shares.</summary>
    private bool OnTickPath(int l) => (_sparse is not null && _sparse.Handles(l)) || (_convShares is not null && _convShares.Handles(l));

    /// <summary>Points layer <paramref name="l"/>'s sources at this or the previous tick's values.</summary>
    private void Bind(int l)
    {
        var layer = _graph.Layers[l];
        var sources = _sourceBuffers[l];
        var sameTick = _plan.SameTick[l];
        for (var j = 0; j < sources.Length; j++)
        {
            sources[j] = (sameTick[j] ? _current : _previous).Values[layer.Inputs[j].Source];
        }
    }

    /// <summary>Fetches the weight copy of a layer on a tick path (<see cref="OnTickPath"/>); returns whether it is on one.</summary>
    private bool Prepare(int l)
    {
        if (_sparse is not null && _sparse.Handles(l))
        {
            _sparse.Prepare(l);
            return true;
        }

        if (_convShares is not null && _convShares.Handles(l))
        {
            _convShares.Prepare(l);
            return true;
        }

        return false;
    }

    /// <summary>Computes share <paramref name="part"/> of <paramref name="parts"/> of layer <paramref name="l"/> (more than one only on a tick path).</summary>
    private void RunPart(int l, int part, int parts)
    {
        var sources = _sourceBuffers[l];
        if (_sparse is not null && _sparse.Handles(l))
        {
            _sparse.Run(l, sources[0], part, parts, _current.Values[l]);
        }
        else if (_convShares is not null && _convShares.Handles(l))
        {
            _convShares.Run(l, sources[0], part, parts, _current.Values[l]);
        }
        else
        {
            LayerKernels.Compute(
                _graph.Layers[l],
                _network.Module(l),
                _graph,
                sources,
                _current.Values[l],
                _previous.Values[l],
                _previous.Cells[l],
                _current.Cells[l],
                Batch,
                _splitLayer[l] ? _workers : null);
        }
    }

    private sealed class SplitWork(PipelineExecutor owner) : IParallelWork
    {
        public int Layer { get; set; }

        public void Execute(int part, int partCount) => owner.RunPart(Layer, part, partCount);
    }

    private sealed class ChunkWork(PipelineExecutor owner) : IParallelWork
    {
        public int Wave { get; set; }

        public void Execute(int part, int partCount)
        {
            var chunk = owner._waveChunks[Wave]![part];
            owner.RunPart(chunk.Layer, chunk.Part, chunk.Parts);
        }
    }

    /// <summary>Share <see cref="Part"/> of <see cref="Parts"/> of layer <see cref="Layer"/>.</summary>
    private readonly record struct Chunk(int Layer, int Part, int Parts);

    private sealed class WaveWork(PipelineExecutor owner) : IParallelWork
    {
        public int Wave { get; set; }

        public void Execute(int part, int partCount)
        {
            foreach (var l in owner._assignment[Wave][part])
            {
                owner.ComputeLayer(l);
            }
        }
    }
}
