using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;
using PipeRL.Tensors.Kernels;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// One image's convolution split by output pixels: <see cref="Run"/> writes any share of the patch matrix's rows and
/// multiplies them by the weight, as the engine's conv does for the whole image.
/// </summary>
/// <remarks>The engine's conv splits a batch by whole images, which leaves a batch-1 tick on one thread.</remarks>
internal sealed class ConvShares
{
    /// <summary>Fewer rows per share would take the engine's small-row path, which sums in another order.</summary>
    private const int MinRowsPerShare = 6;

    private readonly PipelineNetwork _network;
    private readonly PipelineGraph _graph;
    private readonly float[]?[] _patches;

    public ConvShares(PipelineNetwork network, int parts)
    {
        _network = network;
        _graph = network.Graph;
        _patches = new float[]?[_graph.Layers.Count];
        foreach (var layer in _graph.Layers)
        {
            if (network.Module(layer.Index) is Conv2d conv)
            {
                var g = Geometry(layer.Index, conv);
                if (g.OutPixels / parts >= MinRowsPerShare)
                {
                    _patches[layer.Index] = new float[g.OutPixels * g.PatchLength];
                }
            }
        }
    }

    /// <summary>Whether layer <paramref name="layer"/> is a conv whose batch-1 pixels can be split.</summary>
    public bool Handles(int layer) => _patches[layer] is not null;

    /// <summary>
    /// Computes output pixels share <paramref name="part"/> of <paramref name="parts"/> of <paramref name="input"/>'s conv into
    /// <paramref name="output"/> (activation included); each share writes its own patch rows, so none waits for a whole patch matrix.
    /// </summary>
    public void Run(int layer, ReadOnlySpan<float> input, int part, int parts, Span<float> output)
    {
        var conv = (Conv2d)_network.Module(layer)!;
        var g = Geometry(layer, conv);
        var from = g.OutPixels * part / parts;
        var to = g.OutPixels * (part + 1) / parts;
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

        Gemm.Multiply(patches, false, conv.Weight.Value.Span, true, y, to - from, c, k, hasBias);
        LayerKernels.Activate(_graph.Layers[layer].Spec.Activation, y);
    }

    private ConvGeometry Geometry(int layer, Conv2d conv)
    {
        var shape = _graph.Layers[_graph.Layers[layer].Inputs[0].Source].OutputShape;
        return conv.Geometry(shape[0], shape[1]);
    }
}
