using PipeRL.Agents.Ppo;
using PipeRL.Tensors;

namespace PipeRL.Agents.Networks;

/// <summary>
/// The undelayed critic V(o_t): it always sees the current observation (training-time only, as in the paper). A
/// vector observation gets a tanh MLP; an [H, W, C] image gets 3×3 ReLU convolutions, a dense ReLU layer and the
/// value. CleanRL's initialisation: orthogonal √2 hidden weights, orthogonal 1 for the value, zero biases.
/// </summary>
public sealed class ValueNetwork : IModule
{
    private readonly Conv2d[] _convs;
    private readonly Linear[] _dense;
    private readonly Linear _value;
    private readonly int[] _shape;
    private readonly Activation _denseActivation;

    /// <summary>Creates the critic for observations of <paramref name="observationShape"/> at size <paramref name="size"/>.</summary>
    public ValueNetwork(IReadOnlyList<int> observationShape, NetworkSize size, SeededRandom rng)
    {
        ArgumentNullException.ThrowIfNull(observationShape);
        ArgumentNullException.ThrowIfNull(rng);
        _shape = [.. observationShape];
        var parameters = new List<Parameter>();
        int features;
        if (_shape.Length == 3)
        {
            // The authors' critic is 16-32-32 same-padded; the small one is MinAtar's single unpadded conv of 16.
            (int Channels, int Padding)[] convs = size == NetworkSize.Paper ? [(16, 1), (32, 1), (32, 1)] : [(16, 0)];
            _convs = new Conv2d[convs.Length];
            int h = _shape[0], w = _shape[1], c = _shape[2];
            for (var i = 0; i < convs.Length; i++)
            {
                _convs[i] = new Conv2d($"critic.conv{i + 1}", c, convs[i].Channels, 3, rng, padding: convs[i].Padding);
                Orthogonal(_convs[i].Weight, _convs[i].Bias, rng, Math.Sqrt(2));
                parameters.AddRange(_convs[i].Parameters);
                (h, w, c) = (h + (2 * convs[i].Padding) - 2, w + (2 * convs[i].Padding) - 2, convs[i].Channels);
            }

            features = h * w * c;
            _dense = [new Linear("critic.fc1", features, size == NetworkSize.Paper ? 512 : 128, rng)];
            _denseActivation = Activation.Relu;
        }
        else if (_shape.Length == 1)
        {
            _convs = [];
            var width = size == NetworkSize.Paper ? 256 : 64;
            _dense = [new Linear("critic.fc1", _shape[0], width, rng), new Linear("critic.fc2", width, width, rng)];
            _denseActivation = Activation.Tanh;
        }
        else
        {
            throw new ArgumentException($"The critic takes a vector [n] or an image [H, W, C] observation, got [{string.Join(", ", _shape)}].", nameof(observationShape));
        }

        foreach (var layer in _dense)
        {
            Orthogonal(layer.Weight, layer.Bias, rng, Math.Sqrt(2));
            parameters.AddRange(layer.Parameters);
        }

        _value = new Linear("critic.value", _dense[^1].OutFeatures, 1, rng);
        Orthogonal(_value.Weight, _value.Bias, rng, 1.0);
        parameters.AddRange(_value.Parameters);
        Parameters = parameters;
    }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Records V for a batch of flat observations [B, obs] on <paramref name="tape"/>; the result is [B, 1].</summary>
    public Var Forward(Tape tape, Var observations)
    {
        ArgumentNullException.ThrowIfNull(tape);
        var x = observations;
        if (_convs.Length > 0)
        {
            var rows = x.Shape.Rows;
            x = tape.Reshape(x, new Shape(rows, _shape[0], _shape[1], _shape[2]));
            foreach (var conv in _convs)
            {
                x = conv.Forward(tape, x, relu: true);
            }

            x = tape.Reshape(x, new Shape(rows, x.Shape.Length / rows));
        }

        foreach (var layer in _dense)
        {
            x = _denseActivation == Activation.Relu ? layer.Forward(tape, x, relu: true) : _denseActivation.Apply(tape, layer.Forward(tape, x));
        }

        return _value.Forward(tape, x);
    }

    private static void Orthogonal(Parameter weight, Parameter? bias, SeededRandom rng, double gain)
    {
        Initializers.Orthogonal(weight.Value, rng, gain);
        bias?.Value.Clear();
    }
}
