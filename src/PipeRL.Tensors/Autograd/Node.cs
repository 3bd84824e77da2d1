namespace PipeRL.Tensors;

/// <summary>One recorded operation of a <see cref="Tape"/>; node objects and their buffers are reused after a reset.</summary>
internal sealed class Node
{
    public OpKind Kind;
    public int A;
    public int B;
    public int C;
    public bool RequiresGrad;
    public bool OwnsValue;
    public bool GradReady;
    public bool OwnsGrad;
    public bool HasSaved;
    public float F0;
    public float F1;
    public int I0;
    public int I1;
    public int I2;
    public int I3;

    /// <summary>Conv2d and Linear: the value is max(·, 0) of the op's output and the backward masks the gradient.</summary>
    public bool Relu;
    public Parameter? P0;
    public Parameter? P1;
    public int[] Ints = [];
    public int IntCount;
    public readonly Tensor Value = new([], 0, new Shape(0));
    public readonly Tensor Grad = new([], 0, new Shape(0));
    public readonly Tensor Saved = new([], 0, new Shape(0));
}
