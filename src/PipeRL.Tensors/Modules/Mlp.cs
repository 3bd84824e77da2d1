namespace PipeRL.Tensors;

/// <summary>
/// A multi-layer perceptron: Linear layers with <see cref="Hidden"/> activation between them and none after the last.
/// </summary>
/// <remarks>
/// <c>new Mlp("actor", [17, 256, 256, 6], Activation.Relu, rng)</c>. Training: <c>mlp.Forward(tape, x)</c>.
/// Batch-1 (or small-batch) inference without a tape and without allocation: <c>mlp.Infer(obs, output)</c>, using
/// buffers the MLP keeps (so one thread at a time per instance).
/// </remarks>
public sealed class Mlp : IModule
{
    private readonly Linear[] _layers;
    private readonly int _widest;
    private float[] _bufferA = [];
    private float[] _bufferB = [];

    /// <summary>Creates layers of sizes <paramref name="sizes"/> (input first), PyTorch default initialisation.</summary>
    public Mlp(string name, IReadOnlyList<int> sizes, Activation hidden, SeededRandom rng)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count < 2)
        {
            throw new ArgumentException($"MLP '{name}' needs at least an input and an output size, got {sizes.Count} sizes.", nameof(sizes));
        }

        var layers = new Linear[sizes.Count - 1];
        var parameters = new List<Parameter>();
        for (int i = 0; i < layers.Length; i++)
        {
            layers[i] = new Linear($"{name}.{i}", sizes[i], sizes[i + 1], rng);
            parameters.AddRange(layers[i].Parameters);
        }

        _layers = layers;
        _widest = layers.Max(l => l.OutFeatures);
        Layers = layers;
        Hidden = hidden;
        Parameters = parameters;
    }

    /// <summary>The layers, input first.</summary>
    public IReadOnlyList<Linear> Layers { get; }

    /// <summary>The activation after every layer but the last.</summary>
    public Activation Hidden { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Input features.</summary>
    public int InFeatures => Layers[0].InFeatures;

    /// <summary>Output features.</summary>
    public int OutFeatures => Layers[^1].OutFeatures;

    /// <summary>Records the network on <paramref name="tape"/>.</summary>
    public Var Forward(Tape tape, Var x)
    {
        for (int i = 0; i < _layers.Length; i++)
        {
            bool hidden = i < _layers.Length - 1;
            x = _layers[i].Forward(tape, x, relu: hidden && Hidden == Activation.Relu);
            if (hidden && Hidden != Activation.Relu)
            {
                x = Hidden.Apply(tape, x);
            }
        }

        return x;
    }

    /// <summary>Runs the network on <paramref name="rows"/> rows without a tape; allocates only when the batch grows.</summary>
    public void Infer(ReadOnlySpan<float> x, Span<float> y, int rows = 1, WorkerPool? workers = null)
    {
        if (_bufferA.Length < rows * _widest)
        {
            _bufferA = new float[rows * _widest];
            _bufferB = new float[rows * _widest];
        }

        ReadOnlySpan<float> input = x;
        for (int i = 0; i < _layers.Length; i++)
        {
            var layer = _layers[i];
            bool last = i == _layers.Length - 1;
            var output = last ? y : (i % 2 == 0 ? _bufferA : _bufferB).AsSpan(0, rows * layer.OutFeatures);
            layer.Infer(input, output, rows, workers);
            if (!last)
            {
                Hidden.ApplyInPlace(output);
            }

            input = output;
        }
    }
}
