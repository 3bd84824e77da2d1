using System.Numerics.Tensors;
using PipeRL.Tensors.Kernels;

namespace PipeRL.Tensors;

/// <summary>Matrix products, dense layers and bias addition.</summary>
public sealed partial class Tape
{
    /// <summary>
    /// op(a)·op(b) for matrices (tensors read as [Rows, Last]); with <paramref name="transA"/>, a is stored [k, m]; with
    /// <paramref name="transB"/>, b is stored [n, k].
    /// </summary>
    public Var MatMul(Var a, Var b, bool transA = false, bool transB = false)
    {
        var na = Check(a);
        var nb = Check(b);
        int m = transA ? na.Value.Shape.Last : na.Value.Shape.Rows;
        int k = transA ? na.Value.Shape.Rows : na.Value.Shape.Last;
        int kb = transB ? nb.Value.Shape.Last : nb.Value.Shape.Rows;
        int n = transB ? nb.Value.Shape.Rows : nb.Value.Shape.Last;
        if (k != kb)
        {
            throw new ArgumentException($"MatMul: inner sizes differ: op(a) is [{m}x{k}] (a {na.Value.Shape}, transA={transA}), op(b) is [{kb}x{n}] (b {nb.Value.Shape}, transB={transB}).", nameof(b));
        }

        var node = NewNode(OpKind.MatMul, new Shape(m, n), na.RequiresGrad || nb.RequiresGrad, a.Index, b.Index);
        node.I0 = transA ? 1 : 0;
        node.I1 = transB ? 1 : 0;
        Gemm.Multiply(na.Value.Span, transA, nb.Value.Span, transB, node.Value.Span, m, n, k, false, Workers);
        return new Var(this, _count - 1);
    }

    /// <summary>
    /// A dense layer x·Wᵀ + b with W [out, in] (PyTorch's layout) and optional b [out]; x is [..., in] and the result
    /// [..., out]. The parameters are used directly (no <see cref="Param"/> node needed). With <paramref name="relu"/>, the
    /// result is max(x·Wᵀ + b, 0), the same values and gradients as <see cref="Relu"/> of the plain layer in fewer passes.
    /// </summary>
    public Var Linear(Var x, Parameter weight, Parameter? bias, bool relu = false)
    {
        ArgumentNullException.ThrowIfNull(weight);
        var nx = Check(x);
        int outF = weight.Shape[0];
        int inF = weight.Shape.Rank == 2 ? weight.Shape[1] : -1;
        if (inF != nx.Value.Shape.Last)
        {
            throw new ArgumentException($"Linear '{weight.Name}': weight {weight.Shape} expects {inF} input features, the input has shape {nx.Value.Shape}.", nameof(x));
        }

        if (bias is not null && (bias.Shape.Rank != 1 || bias.Shape[0] != outF))
        {
            throw new ArgumentException($"Linear '{weight.Name}': bias {bias.Name} has shape {bias.Shape}, expected [{outF}].", nameof(bias));
        }

        int rows = nx.Value.Shape.Rows;
        var node = NewNode(OpKind.Linear, nx.Value.Shape.WithLast(outF), true, x.Index);
        node.P0 = weight;
        node.P1 = bias;
        node.Relu = relu;
        LinearForward(nx.Value.Span, weight.Value.Span, bias is null ? default : bias.Value.Span, node.Value.Span, rows, inF, outF, Workers, relu);
        return new Var(this, _count - 1);
    }

    /// <summary>Adds <paramref name="bias"/> (length = last dimension of <paramref name="x"/>) to every row.</summary>
    public Var AddBias(Var x, Var bias)
    {
        var nx = Check(x);
        var nb = Check(bias);
        int f = nx.Value.Shape.Last;
        if (nb.Value.Length != f)
        {
            throw new ArgumentException($"AddBias: bias has {nb.Value.Length} values, the input {nx.Value.Shape} has {f} features.", nameof(bias));
        }

        var node = NewNode(OpKind.AddBias, nx.Value.Shape, nx.RequiresGrad || nb.RequiresGrad, x.Index, bias.Index);
        var src = nx.Value.Span;
        var dst = node.Value.Span;
        var b = nb.Value.Span;
        for (int r = 0; r < nx.Value.Shape.Rows; r++)
        {
            TensorPrimitives.Add(src.Slice(r * f, f), b, dst.Slice(r * f, f));
        }

        return new Var(this, _count - 1);
    }

    /// <summary>
    /// y = x·Wᵀ + b (max(·, 0) with <paramref name="relu"/>) for <paramref name="rows"/> rows; the shared kernel of the tape
    /// op and of tape-free inference, which may pass W's <see cref="Gemm.PackDotPanels"/> copy as <paramref name="panels"/> (empty: none).
    /// </summary>
    internal static void LinearForward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y, int rows, int inF, int outF, WorkerPool? workers, bool relu = false, ReadOnlySpan<float> panels = default)
    {
        bool hasBias = !b.IsEmpty;
        if (hasBias)
        {
            for (int r = 0; r < rows; r++)
            {
                b.CopyTo(y.Slice(r * outF, outF));
            }
        }

        if (!panels.IsEmpty)
        {
            Gemm.MultiplyDotPanels(x, panels, y, rows, outF, inF, hasBias, relu);
        }
        else
        {
            Gemm.Multiply(x, false, w, true, y, rows, outF, inF, hasBias, workers, relu);
        }
    }

    /// <summary>Adds the column sums of <paramref name="g"/> ([rows, f]) to <paramref name="acc"/> ([f]).</summary>
    internal static void AddColumnSums(ReadOnlySpan<float> g, Span<float> acc, int rows, int f)
    {
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(acc, g.Slice(r * f, f), acc);
        }
    }

    private void BackwardMatMul(Node node)
    {
        var na = At(node.A);
        var nb = At(node.B);
        bool transA = node.I0 == 1;
        bool transB = node.I1 == 1;
        int m = node.Value.Shape[0];
        int n = node.Value.Shape[1];
        int k = transA ? na.Value.Shape.Rows : na.Value.Shape.Last;
        var g = node.Grad.Span;
        if (na.RequiresGrad)
        {
            var da = GradSpan(node.A);
            if (!transA)
            {
                Gemm.Multiply(g, false, nb.Value.Span, !transB, da, m, k, n, true, Workers);
            }
            else
            {
                Gemm.Multiply(nb.Value.Span, transB, g, true, da, k, m, n, true, Workers);
            }
        }

        if (nb.RequiresGrad)
        {
            var db = GradSpan(node.B);
            if (!transB)
            {
                Gemm.Multiply(na.Value.Span, !transA, g, false, db, k, n, m, true, Workers);
            }
            else
            {
                Gemm.Multiply(g, true, na.Value.Span, transA, db, n, k, m, true, Workers);
            }
        }
    }

    private void BackwardLinear(Node node)
    {
        var nx = At(node.A);
        var w = node.P0!;
        int outF = w.Shape[0];
        int inF = w.Shape[1];
        int rows = nx.Value.Shape.Rows;
        var g = node.Grad.Span;
        float[]? masked = null;
        if (node.Relu)
        {
            // The mask goes to a pooled copy: the node's own gradient (Var.Grad) stays dL/d(output).
            masked = _pool.Rent(g.Length);
            ReluMask(g, node.Value.Span, masked);
            g = masked.AsSpan(0, g.Length);
        }

        if (nx.RequiresGrad)
        {
            Gemm.Multiply(g, false, w.Value.Span, false, GradSpan(node.A), rows, inF, outF, true, Workers);
        }

        Gemm.Multiply(g, true, nx.Value.Span, false, w.Grad.Span, outF, inF, rows, true, Workers);
        if (node.P1 is { } bias)
        {
            AddColumnSums(g, bias.Grad.Span, rows, outF);
        }

        if (masked is not null)
        {
            _pool.Return(masked);
        }
    }

    private void BackwardAddBias(Node node)
    {
        var g = node.Grad.Span;
        int f = node.Value.Shape.Last;
        if (Needs(node.A))
        {
            TensorPrimitives.Add(GradSpan(node.A), g, GradSpan(node.A));
        }

        if (Needs(node.B))
        {
            AddColumnSums(g, GradSpan(node.B), node.Value.Shape.Rows, f);
        }
    }
}
