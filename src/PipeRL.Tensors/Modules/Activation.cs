using System.Numerics.Tensors;

namespace PipeRL.Tensors;

/// <summary>A point-wise non-linearity between layers.</summary>
public enum Activation
{
    /// <summary>The identity.</summary>
    None,

    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>tanh(x).</summary>
    Tanh,
}

/// <summary>Applies an <see cref="Activation"/> on a tape or in place.</summary>
public static class ActivationExtensions
{
    /// <summary>Records the activation on <paramref name="tape"/>.</summary>
    public static Var Apply(this Activation activation, Tape tape, Var x) => activation switch
    {
        Activation.Relu => tape.Relu(x),
        Activation.Tanh => tape.Tanh(x),
        _ => x,
    };

    /// <summary>Applies the activation to <paramref name="x"/> in place.</summary>
    public static void ApplyInPlace(this Activation activation, Span<float> x)
    {
        switch (activation)
        {
            case Activation.Relu:
                TensorPrimitives.Max(x, 0f, x);
                break;
            case Activation.Tanh:
                TensorPrimitives.Tanh(x, x);
                break;
            default:
                break;
        }
    }
}
