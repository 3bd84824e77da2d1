using PipeRL.Pipeline.Execution;
using PipeRL.Tensors;

namespace PipeRL.Agents.Networks;

/// <summary>CleanRL's initialisation of a network: orthogonal weights (gain √2, the head's own gain), zero biases.</summary>
public static class OrthogonalInit
{
    /// <summary>
    /// Draws every weight matrix of <paramref name="network"/> (LSTM recurrent weights included) orthogonal from
    /// <paramref name="rng"/> in layer order, with gain <paramref name="headGain"/> for layer <paramref name="head"/> and
    /// √2 elsewhere, and zeroes every bias.
    /// </summary>
    public static void Apply(PipelineNetwork network, SeededRandom rng, string head, double headGain)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(rng);
        foreach (var layer in network.Graph.Layers)
        {
            var parameters = network.ParametersOf(layer.Name);
            if (parameters.Count == 0 || parameters[0].Shape.Rank < 2)
            {
                continue;
            }

            var gain = layer.Name == head ? headGain : Math.Sqrt(2);
            foreach (var p in parameters)
            {
                if (p.Shape.Rank >= 2)
                {
                    Initializers.Orthogonal(p.Value, rng, gain);
                }
                else
                {
                    p.Value.Clear();
                }
            }
        }
    }
}
