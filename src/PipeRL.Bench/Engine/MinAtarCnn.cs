using PipeRL.Tensors;

namespace PipeRL.Bench.Engine;

/// <summary>The MinAtar-sized CNN of the engine benchmark: conv 3×3×16 same + ReLU, dense 128 + ReLU, 6 outputs, NHWC input 10×10×10.</summary>
internal sealed class MinAtarCnn : IModule
{
    public const int Side = 10;
    public const int Channels = 10;
    public const int Actions = 6;

    private readonly float[] _conv = new float[Side * Side * 16];
    private readonly float[] _hidden = new float[128];

    public MinAtarCnn(SeededRandom rng)
    {
        Conv = new Conv2d("cnn.conv", Channels, 16, 3, rng, stride: 1, padding: 1);
        Fc = new Linear("cnn.fc", Side * Side * 16, 128, rng);
        Head = new Linear("cnn.head", 128, Actions, rng);
        Parameters = [.. Conv.Parameters, .. Fc.Parameters, .. Head.Parameters];
    }

    public Conv2d Conv { get; }

    public Linear Fc { get; }

    public Linear Head { get; }

    public IReadOnlyList<Parameter> Parameters { get; }

    public Var Forward(Tape tape, Var x)
    {
        int batch = x.Shape[0];
        var h = tape.Relu(Conv.Forward(tape, x));
        h = tape.Reshape(h, new Shape(batch, Side * Side * 16));
        h = tape.Relu(Fc.Forward(tape, h));
        return Head.Forward(tape, h);
    }

    /// <summary>Batch-1 inference without a tape.</summary>
    public void Infer(ReadOnlySpan<float> observation, Span<float> output)
    {
        Conv.Infer(observation, _conv, 1, Side, Side);
        Activation.Relu.ApplyInPlace(_conv);
        Fc.Infer(_conv, _hidden);
        Activation.Relu.ApplyInPlace(_hidden);
        Head.Infer(_hidden, output);
    }
}
