using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// The parameters of a <see cref="PipelineGraph"/>: one engine module per computing layer (PyTorch's default
/// initialisation from the seeded source), shared by every executor of the graph.
/// </summary>
public sealed class PipelineNetwork
{
    private readonly object?[] _modules;

    /// <summary>
    /// Creates the modules of <paramref name="graph"/> with parameters drawn from <paramref name="rng"/> in layer order,
    /// named after their layers behind <paramref name="parameterPrefix"/> (which keeps two networks' names apart in one optimizer).
    /// </summary>
    public PipelineNetwork(PipelineGraph graph, SeededRandom rng, string parameterPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(parameterPrefix);
        Graph = graph;
        _modules = new object?[graph.Layers.Count];
        var parameters = new List<Parameter>();
        foreach (var layer in graph.Layers)
        {
            var spec = layer.Spec;
            var input = layer.Inputs.Count == 1 ? graph.Layers[layer.Inputs[0].Source].OutputShape : [];
            var name = parameterPrefix + layer.Name;
            IModule? module = layer.Kind switch
            {
                LayerKind.Dense or LayerKind.CategoricalHead or LayerKind.GaussianHead or LayerKind.ValueHead =>
                    new Linear(name, input[0], layer.OutputSize, rng, spec.Bias),
                LayerKind.Conv2d => new Conv2d(name, input[2], spec.Units, spec.Kernel, rng, Math.Max(1, spec.Stride), spec.Padding, spec.Bias),
                LayerKind.LstmCell => spec.Bias
                    ? new LstmCell(name, input[0], spec.Units, rng)
                    : throw new GraphException($"LSTM cell '{layer.Name}' always has biases; remove \"bias\": false."),
                _ => null,
            };
            _modules[layer.Index] = module;
            if (module is not null)
            {
                parameters.AddRange(module.Parameters);
            }
        }

        Parameters = parameters;
        Transposed = new TransposedWeights(this);
    }

    /// <summary>The graph these parameters belong to.</summary>
    public PipelineGraph Graph { get; }

    /// <summary>Every trainable parameter, in layer order (for an optimizer).</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The parameters of layer <paramref name="name"/> (weight first, then bias; empty for wiring layers).</summary>
    public IReadOnlyList<Parameter> ParametersOf(string name) => _modules[Graph[name].Index] is IModule module ? module.Parameters : [];

    /// <summary>The transposed dense and conv weights that the sparse-input tick kernels read.</summary>
    internal TransposedWeights Transposed { get; }

    /// <summary>The engine module of layer <paramref name="index"/> (Linear, Conv2d or LstmCell), or null for wiring.</summary>
    internal object? Module(int index) => _modules[index];
}
