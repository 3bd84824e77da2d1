using PipeRL.Tensors;
using PipeRL.Tensors.Kernels;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// The transposed weights Wᵀ [in, out] of a network's dense layers for the sparse-input tick kernel, plain or in
/// panels of <see cref="SparseGemv.PanelWidth"/> outputs (<see cref="SparseGemv.TransposeToPanels"/>), each built on
/// first use and rebuilt when the weight's <see cref="Parameter.Version"/> moves (after each optimizer step).
/// </summary>
internal sealed class TransposedWeights
{
    private readonly PipelineNetwork _network;
    private readonly Cache _plain;
    private readonly Cache _panels;
    private readonly object _gate = new();

    public TransposedWeights(PipelineNetwork network)
    {
        _network = network;
        _plain = new Cache(network.Graph.Layers.Count);
        _panels = new Cache(network.Graph.Layers.Count);
    }

    /// <summary>The up-to-date Wᵀ of dense layer <paramref name="layer"/>; call from one thread per tick.</summary>
    public float[] Of(int layer) => Get(layer, _plain, panelled: false);

    /// <summary>The up-to-date panelled Wᵀ of dense layer <paramref name="layer"/>; call from one thread per tick.</summary>
    public float[] PanelsOf(int layer) => Get(layer, _panels, panelled: true);

    private float[] Get(int layer, Cache cache, bool panelled)
    {
        var weight = ((Linear)_network.Module(layer)!).Weight;
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
                var target = current ?? new float[panelled ? SparseGemv.PanelLength(outputs, inputs) : weight.Value.Length];
                if (panelled)
                {
                    SparseGemv.TransposeToPanels(weight.Value.Span, outputs, inputs, target);
                }
                else
                {
                    SparseGemv.Transpose(weight.Value.Span, outputs, inputs, target);
                }

                cache.Versions[layer] = weight.Version;
                cache.Weights[layer] = current = target;
            }

            return current;
        }
    }

    /// <summary>One layout's copies and the weight versions they were built from, per layer.</summary>
    private sealed class Cache(int layers)
    {
        public float[]?[] Weights { get; } = new float[]?[layers];

        public long[] Versions { get; } = new long[layers];
    }
}
