namespace PipeRL.Tensors;

/// <summary>
/// Reverse-mode automatic differentiation over coarse tensor operations: record a forward pass (any graph, any
/// number of ticks), then <see cref="Backward(Var)"/> accumulates gradients into every <see cref="Parameter"/> used.
/// </summary>
/// <remarks>
/// <para>Typical training step (allocation-free after the first step when the graph repeats):</para>
/// <code>
/// tape.Reset();                                   // returns last step's buffers to the tape's pool
/// var x = tape.Input(obs);                        // no copy; obs must stay unchanged until Backward
/// var h = tape.Relu(fc1.Forward(tape, x));
/// var loss = tape.MseLoss(fc2.Forward(tape, h), tape.Input(target));
/// adam.ZeroGrad();
/// tape.Backward(loss);                            // adds dLoss/dθ into each Parameter.Grad
/// adam.Step();
/// </code>
/// <para>Unrolling over T ticks: call the same modules once per tick on the same tape; every use of a parameter adds
/// its share to the same <see cref="Parameter.Grad"/>. A parameter's gradient is never zeroed by the tape.</para>
/// <para>Shapes: matrices are [rows, features]; images are NHWC; element-wise binary ops take equal shapes or one
/// single-element operand (broadcast). Operations along "the last axis" act on features and on channels alike.</para>
/// <para>Set <see cref="Workers"/> to split large matrix products across threads.</para>
/// </remarks>
public sealed partial class Tape : IDisposable
{
    private readonly List<Node> _nodes = [];
    private readonly BufferPool _pool = new();
    private int _count;

    /// <summary>Threads for large matrix products, or null for the calling thread only.</summary>
    public WorkerPool? Workers { get; set; }

    /// <summary>Number of operations recorded since the last <see cref="Reset"/>.</summary>
    public int Count => _count;

    /// <summary>Forgets the recording and returns its buffers to the tape's pool; previous <see cref="Var"/>s become invalid.</summary>
    public void Reset()
    {
        for (int i = 0; i < _count; i++)
        {
            var node = _nodes[i];
            if (node.OwnsValue)
            {
                _pool.Return(node.Value.Data);
            }

            if (node.OwnsGrad)
            {
                _pool.Return(node.Grad.Data);
            }

            if (node.HasSaved)
            {
                _pool.Return(node.Saved.Data);
            }

            node.Value.Rebind([], 0, new Shape(0));
            node.Grad.Rebind([], 0, new Shape(0));
            node.Saved.Rebind([], 0, new Shape(0));
            node.OwnsValue = false;
            node.OwnsGrad = false;
            node.HasSaved = false;
            node.GradReady = false;
            node.P0 = null;
            node.P1 = null;
        }

        _count = 0;
    }

    /// <summary>Same as <see cref="Reset"/>.</summary>
    public void Dispose() => Reset();

    /// <summary>Records <paramref name="value"/> as an input (no copy). With <paramref name="requiresGrad"/>, its gradient is computed too.</summary>
    public Var Input(Tensor value, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        var node = NewAliasNode(OpKind.Input, value, requiresGrad);
        return new Var(this, node);
    }

    /// <summary>Records a parameter; the gradient flowing into it is added to <see cref="Parameter.Grad"/>.</summary>
    public Var Param(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        int index = NewAliasNode(OpKind.Param, parameter.Value, true);
        var node = _nodes[index];
        node.P0 = parameter;
        node.Grad.Rebind(parameter.Grad.Data, parameter.Grad.Offset, parameter.Grad.Shape);
        node.GradReady = true;
        return new Var(this, index);
    }

    /// <summary>The same value without gradient flow (PyTorch's <c>detach</c>); no copy.</summary>
    public Var Detach(Var a) => new(this, NewAliasNode(OpKind.Input, Check(a).Value, false));

    /// <summary>Back-propagates from the single-element <paramref name="loss"/> (seed 1).</summary>
    public void Backward(Var loss)
    {
        var node = Check(loss);
        if (node.Value.Length != 1)
        {
            throw new ArgumentException($"Backward(loss) needs a single-element loss, got shape {node.Value.Shape}; reduce it with Sum or Mean, or pass a seed gradient.", nameof(loss));
        }

        Backward(loss, [1f]);
    }

    /// <summary>Back-propagates from <paramref name="output"/> with the given seed gradient dL/d(output).</summary>
    public void Backward(Var output, ReadOnlySpan<float> seed)
    {
        var node = Check(output);
        if (seed.Length != node.Value.Length)
        {
            throw new ArgumentException($"The seed gradient has {seed.Length} values, the output {node.Value.Shape} has {node.Value.Length}.", nameof(seed));
        }

        if (!node.RequiresGrad)
        {
            throw new InvalidOperationException("Backward from a value that depends on no parameter and no input with requiresGrad: nothing would get a gradient.");
        }

        for (int i = 0; i < _count; i++)
        {
            var n = _nodes[i];
            n.GradReady = n.Kind == OpKind.Param;
        }

        var g = GradSpan(output.Index);
        for (int i = 0; i < seed.Length; i++)
        {
            g[i] += seed[i];
        }

        for (int i = output.Index; i >= 0; i--)
        {
            var n = _nodes[i];
            if (n.RequiresGrad && n.GradReady)
            {
                BackwardNode(n);
            }
        }
    }

    /// <summary>The value tensor of <paramref name="v"/>.</summary>
    internal Tensor ValueOf(Var v) => Check(v).Value;

    /// <summary>The gradient of <paramref name="v"/> from the last backward pass, or null.</summary>
    internal Tensor? GradOf(Var v)
    {
        var node = Check(v);
        return node.GradReady ? node.Grad : null;
    }

    private Node Check(Var v)
    {
        if (!ReferenceEquals(v.Tape, this))
        {
            throw new ArgumentException(v.Tape is null ? "An uninitialised Var was passed to a tape operation." : "A Var from another tape was passed to this tape.", nameof(v));
        }

        if (v.Index >= _count)
        {
            throw new InvalidOperationException($"Var #{v.Index} is stale: the tape was reset after it was recorded (it now holds {_count} operations).");
        }

        return _nodes[v.Index];
    }

    private Node Next()
    {
        if (_count == _nodes.Count)
        {
            _nodes.Add(new Node());
        }

        var node = _nodes[_count];
        node.A = -1;
        node.B = -1;
        node.C = -1;
        node.IntCount = 0;
        _count++;
        return node;
    }

    private int NewAliasNode(OpKind kind, Tensor value, bool requiresGrad)
    {
        var node = Next();
        node.Kind = kind;
        node.RequiresGrad = requiresGrad;
        node.Value.Rebind(value.Data, value.Offset, value.Shape);
        return _count - 1;
    }

    /// <summary>A new node with an owned (uninitialised) value buffer of <paramref name="shape"/>.</summary>
    private Node NewNode(OpKind kind, Shape shape, bool requiresGrad, int a = -1, int b = -1, int c = -1)
    {
        var node = Next();
        node.Kind = kind;
        node.RequiresGrad = requiresGrad;
        node.A = a;
        node.B = b;
        node.C = c;
        node.Value.Rebind(_pool.Rent(shape.Length), 0, shape);
        node.OwnsValue = true;
        return node;
    }

    /// <summary>An extra buffer saved for the backward pass of <paramref name="node"/>.</summary>
    private Span<float> Save(Node node, int length)
    {
        node.Saved.Rebind(_pool.Rent(length), 0, new Shape(length));
        node.HasSaved = true;
        return node.Saved.Span;
    }

    private static void SetInts(Node node, ReadOnlySpan<int> values)
    {
        if (node.Ints.Length < values.Length)
        {
            node.Ints = new int[Math.Max(values.Length, 2 * node.Ints.Length)];
        }

        values.CopyTo(node.Ints);
        node.IntCount = values.Length;
    }

    /// <summary>The gradient buffer of node <paramref name="index"/>, zeroed on first use in this backward pass.</summary>
    private Span<float> GradSpan(int index)
    {
        var node = _nodes[index];
        if (!node.GradReady && node.Kind is OpKind.Alias or OpKind.RowSlice)
        {
            // A reshape or row slice shares (a part of) its input's gradient buffer, so its backward pass has nothing to copy.
            GradSpan(node.A);
            var parent = _nodes[node.A];
            node.Grad.Rebind(parent.Grad.Data, parent.Grad.Offset + (node.Kind == OpKind.RowSlice ? node.I0 : 0), node.Value.Shape);
            node.GradReady = true;
        }

        if (!node.GradReady)
        {
            if (!node.OwnsGrad || node.Grad.Data.Length < node.Value.Length)
            {
                if (node.OwnsGrad)
                {
                    _pool.Return(node.Grad.Data);
                }

                node.Grad.Rebind(_pool.Rent(node.Value.Length), 0, node.Value.Shape);
                node.OwnsGrad = true;
            }
            else
            {
                node.Grad.Reshape(node.Value.Shape);
            }

            node.Grad.Span.Clear();
            node.GradReady = true;
        }

        return node.Grad.Span;
    }

    private bool Needs(int index) => index >= 0 && _nodes[index].RequiresGrad;

    private Node At(int index) => _nodes[index];
}
