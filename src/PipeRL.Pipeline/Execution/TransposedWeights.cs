using PipeRL.Tensors;
using PipeRL.Tensors.Kernels;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// The weights of a network's layers in the layouts of the batch-1 tick kernels, each built on first use and rebuilt when
/// the weight's <see cref="Parameter.Version"/> moves (after each optimizer step): a dense layer's Wᵀ [in, out] for the
/// sparse-input kernel, plain or in panels of <see cref="SparseGemv.PanelWidth"/> outputs (<see cref="SparseGemv.TransposeToPanels"/>),
/// and a conv weight packed by <see cref="Gemm.PackB"/> for <see cref="Conv2dKernel.ForwardPixels"/>; each copy starts on a
/// 64-byte boundary (<see cref="AlignedFloats"/>).
/// </summary>
internal sealed class TransposedWeights
{
    private readonly PipelineNetwork _network;
    private readonly Cache _plain;
    private readonly Cache _panels;
    private readonly Cache _packed;
    private readonly object _gate = new();

    public TransposedWeights(PipelineNetwork network)
    {
        _network = network;
        _plain = new Cache(network.Graph.Layers.Count, Layout.Plain);
        _panels = new Cache(network.Graph.Layers.Count, Layout.Panels);
        _packed = new Cache(network.Graph.Layers.Count, Layout.Packed);
    }

    private enum Layout
    {
        Plain,
        Panels,
        Packed,
    }

    /// <summary>The up-to-date Wᵀ of dense layer <paramref name="layer"/>; call from one thread per tick.</summary>
    public AlignedFloats Of(int layer) => Get(layer, _plain);

    /// <summary>The up-to-date panelled Wᵀ of dense layer <paramref name="layer"/>; call from one thread per tick.</summary>
    public AlignedFloats PanelsOf(int layer) => Get(layer, _panels);

    /// <summary>The up-to-date weight of conv layer <paramref name="layer"/> packed as the B of its patches' product; call from one thread per tick.</summary>
    public AlignedFloats PackedOf(int layer) => Get(layer, _packed);

    private AlignedFloats Get(int layer, Cache cache)
    {
        var weight = _network.Module(layer) switch
        {
            Linear linear => linear.Weight,
            Conv2d conv => conv.Weight,
            var other => throw new InvalidOperationException($"Layer {layer} ({other?.GetType().Name ?? "no module"}) has no weight to lay out."),
        };
        var current = cache.Weights[layer];
        if (current is not null && cache.Versions[layer] == weight.Version)
        {
            return current;
        }

        lock (_gate)
        {
            current = cache.Weights[layer];
            if (current is null || cache.Versions[layer] != weight.Version)
            {
                // A new copy is published only once it is complete.
                var outputs = weight.Shape[0];
                var inputs = weight.Value.Length / outputs;
                var target = current ?? new AlignedFloats(cache.Layout switch
                {
                    Layout.Panels => SparseGemv.PanelLength(outputs, inputs),
                    Layout.Packed => Gemm.PackedLength(outputs, inputs),
                    _ => weight.Value.Length,
                });
                switch (cache.Layout)
                {
                    case Layout.Panels:
                        SparseGemv.TransposeToPanels(weight.Value.Span, outputs, inputs, target.Span);
                        break;
                    case Layout.Packed:
                        // The conv multiplies patches [pixels, KH·KW·C_in] by Wᵀ: B is the weight stored [out, in], transposed.
                        Gemm.PackB(weight.Value.Span, transB: true, outputs, inputs, target.Span);
                        break;
                    default:
                        SparseGemv.Transpose(weight.Value.Span, outputs, inputs, target.Span);
                        break;
                }

                cache.Versions[layer] = weight.Version;
                cache.Weights[layer] = current = target;
            }

            return current;
        }
    }

    /// <summary>One layout's copies and the weight versions they were built from, per layer.</summary>
    private sealed class Cache(int layers, Layout layout)
    {
        public Layout Layout { get; } = layout;

        public AlignedFloats?[] Weights { get; } = new AlignedFloats?[layers];

        public long[] Versions { get; } = new long[layers];
    }
}
