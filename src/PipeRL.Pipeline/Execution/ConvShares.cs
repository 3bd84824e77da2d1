using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;
using PipeRL.Tensors.Kernels;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// One image's convolutions, each split by output pixels: <see cref="Prepare"/> fetches a layer's packed weight, then
/// <see cref="Run"/> writes any share of the patch matrix's rows and multiplies them by it, as the engine's conv does for
/// the whole image (the same tiles, so the same bits for any split).
/// </summary>
/// <remarks>
/// The engine's conv splits a batch by whole images, which leaves a batch-1 tick on one thread, and packs its weight on
/// every call; here the weight is packed once per optimizer step (<see cref="TransposedWeights.PackedOf"/>).
/// </remarks>
internal sealed class ConvShares
{
    private readonly PipelineNetwork _network;
    private readonly PipelineGraph _graph;
    private readonly float[]?[] _patches;
    private readonly float[][] _weights;

    public ConvShares(PipelineNetwork network)
    {
        _network = network;
        _graph = network.Graph;
        _patches = new float[]?[_graph.Layers.Count];
        _weights = new float[_graph.Layers.Count][];
        foreach (var layer in _graph.Layers)
        {
            if (network.Module(layer.Index) is Conv2d conv)
            {
                var g = Geometry(layer.Index, conv);
                _patches[layer.Index] = new float[g.OutPixels * g.PatchLength];
            }
        }
    }

    /// <summary>Whether layer <paramref name="layer"/> is a conv.</summary>
    public bool Handles(int layer) => _patches[layer] is not null;

    /// <summary>Fetches layer <paramref name="layer"/>'s up-to-date packed weight for <see cref="Run"/>; call once per tick, before the shares.</summary>
    public void Prepare(int layer) => _weights[layer] = _network.Transposed.PackedOf(layer);

    /// <summary>
    /// Computes output pixels share <paramref name="part"/> of <paramref name="parts"/> of <paramref name="input"/>'s conv into
    /// <paramref name="output"/> (activation included); each share writes its own patch rows, so none waits for a whole patch matrix.
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

        var k = g.PatchLength;
        var c = g.OutChannels;
        var patches = _patches[layer].AsSpan(from * k, (to - from) * k);
        Conv2dKernel.Im2ColRows(input, patches, g, from, to);
        var y = output[(from * c)..(to * c)];
        var hasBias = conv.Bias is not null;
        if (hasBias)
        {
            for (var p = 0; p < to - from; p++)
            {
                conv.Bias!.Value.Span.CopyTo(y.Slice(p * c, c));
            }
        }

        var relu = _graph.Layers[layer].Spec.Activation == Graph.Activation.Relu;
        Gemm.MultiplyPacked(patches, false, _weights[layer], y, to - from, c, k, hasBias, relu: relu);
        if (!relu)
        {
            LayerKernels.Activate(_graph.Layers[layer].Spec.Activation, y);
        }
    }

    /// <summary>Pixel boundary of share <paramref name="part"/>: a multiple of the product's tile rows, so no share computes a partial tile that another completes.</summary>
    private static int Boundary(int pixels, int part, int parts)
    {
        var tiles = (pixels + Gemm.TileRows - 1) / Gemm.TileRows;
        return Math.Min(pixels, tiles * part / parts * Gemm.TileRows);
    }

    private ConvGeometry Geometry(int layer, Conv2d conv)
    {
        var shape = _graph.Layers[_graph.Layers[layer].Inputs[0].Source].OutputShape;
        return conv.Geometry(shape[0], shape[1]);
    }
}
