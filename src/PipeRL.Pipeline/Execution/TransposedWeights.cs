using PipeRL.Tensors;
using PipeRL.Tensors.Kernels;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// The transposed weights Wᵀ [in, out] of a network's dense layers for the sparse-input tick kernel, built on
/// first use and rebuilt when the weight's <see cref="Parameter.Version"/> moves (after each optimizer step).
/// </summary>
internal sealed class TransposedWeights
{
    private readonly PipelineNetwork _network;
    private readonly float[]?[] _weights;
    private readonly long[] _versions;
    private readonly object _gate = new();

    public TransposedWeights(PipelineNetwork network)
    {
        _network = network;
        _weights = new float[]?[network.Graph.Layers.Count];
        _versions = new long[_weights.Length];
    }

    /// <summary>The up-to-date Wᵀ of dense layer <paramref name="layer"/>; call from one thread per tick.</summary>
    public float[] Of(int layer)
    {
        var weight = ((Linear)_network.Module(layer)!).Weight;
        var current = _weights[layer];
        if (current is not null && _versions[layer] == weight.Version)
        {
            return current;
        }

        lock (_gate)
        {
            current = _weights[layer];
            if (current is null || _versions[layer] != weight.Version)
            {
                // A new copy is published only once it is complete.
                var target = current ?? new float[weight.Value.Length];
                var outputs = weight.Shape[0];
                SparseGemv.Transpose(weight.Value.Span, outputs, weight.Value.Length / outputs, target);
                _versions[layer] = weight.Version;
                _weights[layer] = current = target;
            }

            return current;
        }
    }
}
