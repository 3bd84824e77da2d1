using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// Computes the layers of one executor's ticks, whole or in shares, from the values of the current and previous tick:
/// dense layers on the sparse-input path at small batch, batch-1 convs in pixel shares, the rest on the engine's kernels.
/// </summary>
internal sealed class TickLayers
{
    private readonly PipelineNetwork _network;
    private readonly PipelineGraph _graph;
    private readonly TickPlan _plan;
    private readonly int _batch;
    private readonly SparseLayers? _sparse;
    private readonly ConvShares? _convShares;
    private Binding? _binding;
    private Binding? _other;

    /// <summary>
    /// Creates the layer kernels of <paramref name="network"/> for <paramref name="batch"/> envs; the layers marked in
    /// <paramref name="split"/> run in up to <paramref name="parts"/> shares at once.
    /// </summary>
    public TickLayers(PipelineNetwork network, TickPlan plan, int batch, bool skipZeroInputs, IReadOnlyList<bool> split, int parts)
    {
        _network = network;
        _graph = network.Graph;
        _plan = plan;
        _batch = batch;
        _sparse = skipZeroInputs && batch <= SparseLayers.MaxBatch ? new SparseLayers(network, batch, split, parts) : null;
        _convShares = batch == 1 ? new ConvShares(network, parts) : null;
    }

    /// <summary>This tick's values (being computed).</summary>
    public PipelineState Current => _binding!.Current;

    /// <summary>This tick's binding of the layers' inputs (set by <see cref="Use"/>).</summary>
    public Binding Bound => _binding!;

    /// <summary>
    /// Computes the next ticks into <paramref name="current"/> from <paramref name="previous"/>. The layers' inputs are bound
    /// once per pair of states (an executor swaps two), so a tick writes no binding that another thread then reads.
    /// </summary>
    public void Use(PipelineState current, PipelineState previous)
    {
        if (_binding is not null && _binding.Reads(current, previous))
        {
            return;
        }

        if (_other is not null && _other.Reads(current, previous))
        {
            (_binding, _other) = (_other, _binding);
            return;
        }

        (_binding, _other) = (new Binding(_graph, _plan, current, previous), _binding);
    }

    /// <summary>Whether layer <paramref name="l"/> would run on the sparse-input path of an executor built with these settings.</summary>
    public static bool OnSparsePath(PipelineNetwork network, int l, int batch, bool skipZeroInputs) =>
        skipZeroInputs && SparseLayers.Handles(network, l, batch);

    /// <summary>Computes layer <paramref name="l"/> whole on the calling thread (<paramref name="workers"/> splits an engine product).</summary>
    public void Compute(int l, WorkerPool? workers = null)
    {
        Prepare(l, parts: 1);
        RunPart(l, 0, 1, workers);
    }

    /// <summary>
    /// Fetches the weight copy of layer <paramref name="l"/> for a run in <paramref name="parts"/> shares, where it runs on
    /// a tick path (dense layers on the sparse-input path, batch-1 convs); other layers need nothing.
    /// </summary>
    public void Prepare(int l, int parts)
    {
        if (_sparse is not null && _sparse.Handles(l))
        {
            _sparse.Prepare(l, parts);
        }
        else if (_convShares is not null && _convShares.Handles(l))
        {
            _convShares.Prepare(l);
        }
    }

    /// <summary>
    /// Computes share <paramref name="part"/> of <paramref name="parts"/> of layer <paramref name="l"/> (more than one only
    /// on a tick path), after <see cref="Prepare"/>; <paramref name="workers"/> splits an engine product.
    /// </summary>
    public void RunPart(int l, int part, int parts, WorkerPool? workers = null) => RunPart(_binding!, l, part, parts, workers);

    /// <summary>
    /// <see cref="RunPart(int, int, int, WorkerPool?)"/> on the values of <paramref name="binding"/> (a tick's <see cref="Bound"/>),
    /// for a worker whose share of a tick runs on while the caller has moved on to the next.
    /// </summary>
    public void RunPart(Binding binding, int l, int part, int parts, WorkerPool? workers = null)
    {
        var sources = binding.Sources[l];
        var (current, previous) = (binding.Current, binding.Previous);
        if (_sparse is not null && _sparse.Handles(l))
        {
            _sparse.Run(l, sources[0], part, parts, current.Values[l]);
        }
        else if (_convShares is not null && _convShares.Handles(l))
        {
            _convShares.Run(l, sources[0], part, parts, current.Values[l]);
        }
        else
        {
            LayerKernels.Compute(
                _graph.Layers[l],
                _network.Module(l),
                _graph,
                sources,
                current.Values[l],
                previous.Values[l],
                previous.Cells[l],
                current.Cells[l],
                _batch,
                workers);
        }
    }

    /// <summary>Every layer's inputs, each pointed at the value of this or the previous tick that it reads.</summary>
    internal sealed class Binding
    {
        public Binding(PipelineGraph graph, TickPlan plan, PipelineState current, PipelineState previous)
        {
            Current = current;
            Previous = previous;
            Sources = [.. graph.Layers.Select(layer => layer.Inputs
                .Select((input, j) => (plan.SameTick[layer.Index][j] ? current : previous).Values[input.Source])
                .ToArray())];
        }

        public PipelineState Current { get; }

        public PipelineState Previous { get; }

        public float[][][] Sources { get; }

        public bool Reads(PipelineState current, PipelineState previous) =>
            ReferenceEquals(current, Current) && ReferenceEquals(previous, Previous);
    }
}
