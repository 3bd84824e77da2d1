using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;
using PipeRL.Tensors.Kernels;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// The sparse-input path of one executor's dense layers at small batch: <see cref="Prepare"/> fetches a layer's
/// transposed weight, then <see cref="Run"/> lists its nonzero inputs per row and computes any share of its output columns
/// from them, reading only the transposed-weight rows of nonzero inputs. Every share gives the same bits as the whole,
/// every row the bits of batch 1.
/// </summary>
/// <remarks>
/// Convolutions stay on the engine's packed GEMM: their weights sit in cache, so they are bound by arithmetic, and a
/// gather over nonzero patch entries measured slower than the dense product at the 40-60 % nonzero of their inputs.
/// </remarks>
internal sealed class SparseLayers
{
    /// <summary>
    /// The largest batch run on the sparse path: each row reads its own weight rows, so a big batch does better on the
    /// engine's GEMM (6400x512 at 44 % nonzero: 2x faster up to batch 8, 1.5x at 16, 0.6x at 32).
    /// </summary>
    public const int MaxBatch = 16;

    private const int MinOutputs = 16;
    private const int ColumnAlignment = SparseGemv.PanelWidth;

    private readonly PipelineNetwork _network;
    private readonly PipelineGraph _graph;
    private readonly int _batch;
    private readonly Scratch?[] _scratch;

    /// <summary>
    /// Creates the sparse path of <paramref name="network"/>'s dense layers; the layers marked in <paramref name="split"/>
    /// read a weight in column panels (<see cref="SparseGemv.AccumulatePanels(ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, int, ReadOnlySpan{float}, Span{float}, int, int, bool)"/>), which streams column shares faster,
    /// and the others the plain Wᵀ, which measured faster (by 10-15 % at 6400x512) for a layer run whole on one thread.
    /// A split layer's shares each list the nonzero inputs themselves (<paramref name="parts"/> lists), at once, rather
    /// than one thread listing them while the others wait.
    /// </summary>
    public SparseLayers(PipelineNetwork network, int batch, IReadOnlyList<bool> split, int parts)
    {
        _network = network;
        _graph = network.Graph;
        _batch = batch;
        _scratch = new Scratch?[_graph.Layers.Count];
        foreach (var layer in _graph.Layers)
        {
            if (Handles(network, layer.Index, batch))
            {
                var inputs = ((Linear)network.Module(layer.Index)!).InFeatures;
                _scratch[layer.Index] = new Scratch(inputs, split[layer.Index] ? parts : 1) { Panelled = split[layer.Index] };
            }
        }
    }

    /// <summary>Whether layer <paramref name="layer"/> of <paramref name="network"/> runs on the sparse path at <paramref name="batch"/>.</summary>
    public static bool Handles(PipelineNetwork network, int layer, int batch) =>
        batch <= MaxBatch && network.Module(layer) is Linear { OutFeatures: >= MinOutputs };

    /// <summary>Whether layer <paramref name="layer"/> runs on the sparse path.</summary>
    public bool Handles(int layer) => _scratch[layer] is not null;

    /// <summary>
    /// Fetches layer <paramref name="layer"/>'s up-to-date transposed weight for <see cref="Run"/> in <paramref name="parts"/>
    /// shares; call once per tick, before the shares. A split layer that runs whole (a tick that the executor's timing check
    /// keeps on one thread) reads the plain Wᵀ, faster on one thread, with the same bits.
    /// </summary>
    public void Prepare(int layer, int parts)
    {
        var s = _scratch[layer]!;
        var panels = s.Panelled && parts > 1;

        // Written only when they change: another thread may compute the next layer, whose scratch can share the line.
        var weights = panels ? _network.Transposed.PanelsOf(layer) : _network.Transposed.Of(layer);
        if (!ReferenceEquals(weights, s.Weights))
        {
            s.Weights = weights;
        }

        if (panels != s.InPanels)
        {
            s.InPanels = panels;
        }

        if (panels)
        {
            // A share's panels outgrow the core's L2 (fc1 of the MinAtar actors: ~1.8 MB of rows per tick and thread);
            // sweeping them back and forth on alternate ticks starts each sweep on the rows the last one left there (~2 % off
            // the tick).
            s.Descending = !s.Descending;
        }
    }

    /// <summary>
    /// Computes share <paramref name="part"/> of <paramref name="parts"/> of layer <paramref name="layer"/>'s columns on
    /// <paramref name="input"/> into <paramref name="output"/> (activation included); a layer that is not split runs as one share.
    /// </summary>
    public void Run(int layer, ReadOnlySpan<float> input, int part, int parts, Span<float> output)
    {
        var s = _scratch[layer]!;
        var linear = (Linear)_network.Module(layer)!;
        var activation = _graph.Layers[layer].Spec.Activation;
        var weights = s.Weights!.Span;
        var inF = linear.InFeatures;
        var outF = linear.OutFeatures;
        var from = Boundary(outF, part, parts);
        var to = Boundary(outF, part + 1, parts);
        var bias = linear.Bias is null ? default : linear.Bias.Value.Span;
        var rowLength = s.InPanels ? SparseGemv.PanelWidth : outF;
        var list = part % s.Values.Length;
        var allValues = s.Values[list];
        var allOffsets = s.Offsets[list];
        for (var r = 0; r < _batch; r++)
        {
            var row = output.Slice((r * outF) + from, to - from);
            var y = output.Slice(r * outF, outF);
            if (bias.IsEmpty)
            {
                row.Clear();
            }

            // The sums start from the bias in registers (not from a copy of it in y: see SparseGemv.Accumulate).
            ReadOnlySpan<float> initial = bias.IsEmpty ? y : bias;
            var terms = SparseGemv.Gather(input.Slice(r * inF, inF), allValues, allOffsets, rowLength);
            var values = allValues.AsSpan(0, terms);
            var offsets = allOffsets.AsSpan(0, terms);
            if (s.InPanels)
            {
                SparseGemv.AccumulatePanels(values, offsets, weights, inF, initial, y, from, to, s.Descending);
            }
            else
            {
                SparseGemv.Accumulate(values, offsets, weights, initial, y, from, to);
            }

            LayerKernels.Activate(activation, row);
        }
    }

    /// <summary>Column boundary of share <paramref name="part"/>: a multiple of 64 (the weight's panel width), so each share runs whole panels.</summary>
    private static int Boundary(int columns, int part, int parts)
    {
        if (part >= parts)
        {
            return columns;
        }

        var blocks = (columns + ColumnAlignment - 1) / ColumnAlignment;
        return Math.Min(columns, blocks * part / parts * ColumnAlignment);
    }

    /// <summary>One layer's nonzero input values and their weight-row offsets, one row's list per share that runs at once.</summary>
    private sealed class Scratch
    {
        private readonly List<byte[]> _spacers = [];

        public Scratch(int inputs, int lists)
        {
            Values = SeparateLines.Arrays<float>(Enumerable.Repeat(inputs, lists), _spacers);
            Offsets = SeparateLines.Arrays<int>(Enumerable.Repeat(inputs, lists), _spacers);
        }

        public float[][] Values { get; }

        public int[][] Offsets { get; }

        public AlignedFloats? Weights { get; set; }

        /// <summary>Whether the layer is split over threads, so that its shares read the panelled Wᵀ.</summary>
        public bool Panelled { get; init; }

        /// <summary>Whether this tick reads the panelled Wᵀ (the layer runs in shares) rather than the plain one.</summary>
        public bool InPanels { get; set; }

        /// <summary>Whether this tick's shares run their panels last to first.</summary>
        public bool Descending { get; set; }
    }
}
