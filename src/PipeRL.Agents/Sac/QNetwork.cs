using PipeRL.Tensors;

namespace PipeRL.Agents.Sac;

/// <summary>
/// SAC's undelayed soft Q network (training-time only, as in the paper). Continuous actions: an MLP on the actor's
/// (augmented) input with the action appended, giving Q(x, a). Discrete actions: one Q value per action, from an MLP
/// for vector observations or, for [H, W, C] images, 3×3 ReLU convolutions and a dense ReLU layer on the observation
/// part of the input. PyTorch's default initialisation, as CleanRL's SAC.
/// </summary>
public sealed class QNetwork : IModule
{
    private readonly Conv2d[] _convs;
    private readonly Linear[] _dense;
    private readonly int[] _shape;
    private readonly int _observationSize;

    /// <summary>
    /// A Q network called <paramref name="name"/> for inputs of <paramref name="inputSize"/> floats that start with an
    /// observation of <paramref name="observationShape"/>, <paramref name="actionSize"/> action floats appended
    /// (0 for discrete actions) and <paramref name="outputs"/> Q values.
    /// </summary>
    public QNetwork(string name, IReadOnlyList<int> observationShape, int inputSize, int actionSize, int outputs, NetworkSize size, SeededRandom rng)
    {
        ArgumentNullException.ThrowIfNull(observationShape);
        ArgumentNullException.ThrowIfNull(rng);
        _shape = [.. observationShape];
        _observationSize = _shape.Aggregate(1, (a, b) => a * b);
        if (inputSize < _observationSize || outputs < 1 || actionSize < 0)
        {
            throw new ArgumentException($"Q network '{name}': an input of {inputSize} floats cannot start with an observation of {_observationSize}.", nameof(inputSize));
        }

        var parameters = new List<Parameter>();
        int features;
        if (_shape.Length == 3)
        {
            if (actionSize > 0)
            {
                throw new ArgumentException($"Q network '{name}': image observations take discrete actions only.", nameof(actionSize));
            }

            (int Channels, int Padding)[] convs = size == NetworkSize.Paper ? [(32, 1), (64, 1), (64, 1)] : [(16, 0)];
            _convs = new Conv2d[convs.Length];
            int h = _shape[0], w = _shape[1], c = _shape[2];
            for (var i = 0; i < convs.Length; i++)
            {
                _convs[i] = new Conv2d($"{name}.conv{i + 1}", c, convs[i].Channels, 3, rng, padding: convs[i].Padding);
                parameters.AddRange(_convs[i].Parameters);
                (h, w, c) = (h + (2 * convs[i].Padding) - 2, w + (2 * convs[i].Padding) - 2, convs[i].Channels);
            }

            features = h * w * c;
            var fc1 = new Linear($"{name}.fc1", features, size == NetworkSize.Paper ? 512 : 128, rng);
            _dense = [fc1, new Linear($"{name}.q", fc1.OutFeatures, outputs, rng)];
        }
        else
        {
            _convs = [];
            var width = size == NetworkSize.Paper ? 256 : 64;
            _dense = [new Linear($"{name}.fc1", inputSize + actionSize, width, rng), new Linear($"{name}.fc2", width, width, rng), new Linear($"{name}.q", width, outputs, rng)];
        }

        foreach (var layer in _dense)
        {
            parameters.AddRange(layer.Parameters);
        }

        Parameters = parameters;
        InputSize = inputSize;
        ActionSize = actionSize;
        Outputs = outputs;
    }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Floats of one input row.</summary>
    public int InputSize { get; }

    /// <summary>Action floats appended to the input (0 for discrete actions).</summary>
    public int ActionSize { get; }

    /// <summary>Q values per row.</summary>
    public int Outputs { get; }

    /// <summary>
    /// Records Q for [B, input] <paramref name="inputs"/> (and [B, action] <paramref name="actions"/> when continuous); the
    /// result is [B, outputs]. <paramref name="frozen"/> dense layers read their weights as constants, so a backward
    /// pass computes gradients for the inputs only (the actor's loss through the critics), not for the weights.
    /// </summary>
    public Var Forward(Tape tape, Var inputs, Var? actions = null, bool frozen = false)
    {
        ArgumentNullException.ThrowIfNull(tape);
        if ((actions is null) != (ActionSize == 0))
        {
            throw new ArgumentException(ActionSize == 0 ? "This Q network takes no action input." : "This Q network needs the actions.", nameof(actions));
        }

        var x = actions is { } a ? tape.Concat(inputs, a) : inputs;
        if (_convs.Length > 0)
        {
            var rows = x.Shape.Rows;
            if (InputSize > _observationSize)
            {
                x = tape.Slice(x, 0, _observationSize);
            }

            x = tape.Reshape(x, new Shape(rows, _shape[0], _shape[1], _shape[2]));
            foreach (var conv in _convs)
            {
                x = conv.Forward(tape, x, relu: true);
            }

            x = tape.Reshape(x, new Shape(rows, x.Shape.Length / rows));
        }

        for (var i = 0; i < _dense.Length; i++)
        {
            var relu = i < _dense.Length - 1;
            x = frozen ? FrozenDense(tape, _dense[i], x, relu) : _dense[i].Forward(tape, x, relu);
        }

        return x;
    }

    private static Var FrozenDense(Tape tape, Linear layer, Var x, bool relu)
    {
        var y = tape.MatMul(x, tape.Input(layer.Weight.Value), transB: true);
        if (layer.Bias is { } bias)
        {
            y = tape.AddBias(y, tape.Input(bias.Value));
        }

        return relu ? tape.Relu(y) : y;
    }
}
