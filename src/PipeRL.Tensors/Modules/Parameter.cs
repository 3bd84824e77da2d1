namespace PipeRL.Tensors;

/// <summary>
/// A trainable tensor: its <see cref="Value"/> and the <see cref="Grad"/> that backward passes accumulate into.
/// </summary>
/// <remarks>
/// Gradients accumulate across every use of the parameter (every tick of an unrolled window, every
/// <see cref="Tape.Backward(Var)"/>) until <see cref="ZeroGrad"/> or <see cref="Optim.Adam.ZeroGrad"/> clears them,
/// as in PyTorch. Modules (<see cref="Linear"/>, <see cref="Conv2d"/>, <see cref="LstmCell"/>) own their parameters;
/// use <see cref="Tape.Param"/> to use a free-standing parameter (e.g. SAC's log α) in an expression.
/// </remarks>
public sealed class Parameter
{
    /// <summary>Creates a zero parameter called <paramref name="name"/> (unique within a model, used by checkpoints).</summary>
    public Parameter(string name, Shape shape)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Value = Tensor.Zeros(shape);
        Grad = Tensor.Zeros(shape);
    }

    /// <summary>The name used in checkpoints and error messages, e.g. <c>actor.0.weight</c>.</summary>
    public string Name { get; }

    /// <summary>The current value.</summary>
    public Tensor Value { get; }

    /// <summary>The accumulated gradient of the loss with respect to <see cref="Value"/>.</summary>
    public Tensor Grad { get; }

    /// <summary>The shape of value and gradient.</summary>
    public Shape Shape => Value.Shape;

    /// <summary>
    /// Counts the changes of <see cref="Value"/> announced with <see cref="MarkChanged"/> (optimizer steps, checkpoint
    /// restores), so a derived copy of the value (an inference layout) can tell that it is stale.
    /// </summary>
    public long Version { get; private set; }

    /// <summary>Announces that <see cref="Value"/> was written; whoever writes parameter values directly calls it.</summary>
    public void MarkChanged() => Version++;

    /// <summary>Sets the gradient to zero.</summary>
    public void ZeroGrad() => Grad.Clear();

    /// <summary>Formats as <c>name[shape]</c>.</summary>
    public override string ToString() => $"{Name}{Shape}";
}
