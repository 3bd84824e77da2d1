using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;
using PipeRL.Tensors.Kernels;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// One image's convolutions, each split by output pixels: <see cref="Prepare"/> fetches a layer's packed weight, then
/// <see cref="Run"/> computes any share of the output pixels with <see cref="Conv2dKernel.ForwardPixels"/>, which reads the
/// patches in place from a zero-padded copy of the input rows they need (the engine's conv's tiles, so its bits for any split).
/// </summary>
/// <remarks>
/// The engine's conv splits a batch by whole images, which leaves a batch-1 tick on one thread, packs its weight on every
/// call and writes a patch matrix (9x its input for a 3x3 kernel; writing it took a sixth of a MinAtar conv share); here the
/// weight is packed once per optimizer step (<see cref="TransposedWeights.PackedOf"/>) and no patch matrix is written.
/// </remarks>
internal sealed class ConvShares
{
    private readonly PipelineNetwork _network;
    private readonly PipelineGraph _graph;
    private readonly float[][][] _padded;
    private readonly int[]?[] _rowStarts;
    private readonly AlignedFloats?[] _weights;

    /// <summary>Scratch for the convs of <paramref name="network"/>, each in up to <paramref name="parts"/> shares at once.</summary>
    public ConvShares(PipelineNetwork network, int parts)
    {
        _network = network;
        _graph = network.Graph;
        _padded = new float[_graph.Layers.Count][][];
        _rowStarts = new int[]?[_graph.Layers.Count];
        _weights = new AlignedFloats?[_graph.Layers.Count];
        foreach (var layer in _graph.Layers)
        {
            _padded[layer.Index] = [];
            if (network.Module(layer.Index) is Conv2d conv)
            {
                var g = Geometry(layer.Index, conv);
                _padded[layer.Index] = [.. Enumerable.Range(0, parts).Select(_ => new float[Conv2dKernel.PaddedLength(g)])];
                _rowStarts[layer.Index] = new int[g.OutPixels];
            }
        }
    }

    /// <summary>Whether layer <paramref name="layer"/> is a conv.</summary>
    public bool Handles(int layer) => _rowStarts[layer] is not null;

    /// <summary>Fetches layer <paramref name="layer"/>'s up-to-date packed weight for <see cref="Run"/>; call once per tick, before the shares.</summary>
    public void Prepare(int layer)
    {
        // Written only when the copy changes: the layers' entries share cache lines, and other threads compute other layers.
        var weights = _network.Transposed.PackedOf(layer);
        if (!ReferenceEquals(weights, _weights[layer]))
        {
            _weights[layer] = weights;
        }
    }

    /// <summary>
    /// Computes output pixels share <paramref name="part"/> of <paramref name="parts"/> of <paramref name="input"/>'s conv into
    /// <paramref name="output"/> (activation included); each share pads its own copy of the input rows, so none waits for another.
    /// </summary>
    public void Run(int layer, ReadOnlySpan<float> input, int part, int parts, Span<float> output)
    {
        var conv = (Conv2d)_network.Module(layer)!;
        var g = Geometry(layer, conv);
        var from = Boundary(g.OutPixels, part, parts);
        var to = Boundary(g.OutPixels, part + 1, parts);
        if (from == to)
        {
            return;
        }

        var relu = _graph.Layers[layer].Spec.Activation == Graph.Activation.Relu;
        var bias = conv.Bias is null ? default : conv.Bias.Value.Span;
        Conv2dKernel.ForwardPixels(input, _weights[layer]!.Span, bias, output, g, from, to, _padded[layer][part], _rowStarts[layer].AsSpan(from, to - from), relu);
        if (!relu)
        {
            LayerKernels.Activate(_graph.Layers[layer].Spec.Activation, output[(from * g.OutChannels)..(to * g.OutChannels)]);
        }
    }

    /// <summary>
    /// Pixel boundary of share <paramref name="part"/>: a multiple of the product's tile rows, so no share computes a partial
    /// tile that another completes. The first shares take the odd tiles: the caller claims the first share, and a caller
    /// that finishes last has no other thread's signal to wait for.
    /// </summary>
    private static int Boundary(int pixels, int part, int parts)
    {
        var tiles = (pixels + Gemm.TileRows - 1) / Gemm.TileRows;
        return Math.Min(pixels, (((tiles * part) + parts - 1) / parts) * Gemm.TileRows);
    }

    private ConvGeometry Geometry(int layer, Conv2d conv)
    {
        var shape = _graph.Layers[_graph.Layers[layer].Inputs[0].Source].OutputShape;
        return conv.Geometry(shape[0], shape[1]);
    }
}
