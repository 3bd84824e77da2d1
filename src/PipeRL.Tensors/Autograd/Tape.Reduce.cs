using System.Numerics.Tensors;

namespace PipeRL.Tensors;

/// <summary>Reductions, softmax family, gather and losses.</summary>
public sealed partial class Tape
{
    /// <summary>The sum of all elements, shape [1].</summary>
    public Var Sum(Var a)
    {
        var na = Check(a);
        var node = NewNode(OpKind.Sum, new Shape(1), na.RequiresGrad, a.Index);
        node.Value.Span[0] = SumDouble(na.Value.Span);
        return new Var(this, _count - 1);
    }

    /// <summary>The mean of all elements, shape [1].</summary>
    public Var Mean(Var a)
    {
        var na = Check(a);
        if (na.Value.Length == 0)
        {
            throw new ArgumentException("Mean of an empty tensor.", nameof(a));
        }

        var node = NewNode(OpKind.Mean, new Shape(1), na.RequiresGrad, a.Index);
        node.Value.Span[0] = (float)(SumDouble(na.Value.Span) / na.Value.Length);
        return new Var(this, _count - 1);
    }

    /// <summary>Sums along the last axis: [..., f] → [..., 1] (e.g. entropy per row, log-prob of an action vector).</summary>
    public Var SumLast(Var a)
    {
        var na = Check(a);
        int f = na.Value.Shape.Last;
        var node = NewNode(OpKind.SumLast, na.Value.Shape.WithLast(1), na.RequiresGrad, a.Index);
        var x = na.Value.Span;
        var y = node.Value.Span;
        for (int r = 0; r < y.Length; r++)
        {
            y[r] = TensorPrimitives.Sum(x.Slice(r * f, f));
        }

        return new Var(this, _count - 1);
    }

    /// <summary>log-softmax along the last axis, computed stably (max subtracted).</summary>
    public Var LogSoftmax(Var a) => SoftmaxFamily(OpKind.LogSoftmax, a);

    /// <summary>softmax along the last axis.</summary>
    public Var Softmax(Var a) => SoftmaxFamily(OpKind.Softmax, a);

    /// <summary>
    /// Picks one element per row: [rows, f] with <paramref name="indices"/>[rows] → [rows, 1] (PPO's log π(a|s) from
    /// log-softmax). The indices are copied.
    /// </summary>
    public Var Gather(Var a, ReadOnlySpan<int> indices)
    {
        var na = Check(a);
        int f = na.Value.Shape.Last;
        int rows = na.Value.Shape.Rows;
        if (indices.Length != rows)
        {
            throw new ArgumentException($"Gather: {indices.Length} indices for {rows} rows of {na.Value.Shape}.", nameof(indices));
        }

        var node = NewNode(OpKind.Gather, na.Value.Shape.WithLast(1), na.RequiresGrad, a.Index);
        SetInts(node, indices);
        var x = na.Value.Span;
        var y = node.Value.Span;
        for (int r = 0; r < rows; r++)
        {
            int j = indices[r];
            if ((uint)j >= (uint)f)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"Gather: index {j} in row {r} is outside [0, {f}).");
            }

            y[r] = x[(r * f) + j];
        }

        return new Var(this, _count - 1);
    }

    /// <summary>Mean squared error mean((prediction − target)²), shape [1]; equal lengths required.</summary>
    public Var MseLoss(Var prediction, Var target)
    {
        var np = Check(prediction);
        var nt = Check(target);
        if (np.Value.Length != nt.Value.Length || np.Value.Length == 0)
        {
            throw new ArgumentException($"MseLoss: prediction {np.Value.Shape} and target {nt.Value.Shape} must have the same, non-zero length.", nameof(target));
        }

        var node = NewNode(OpKind.Mse, new Shape(1), np.RequiresGrad || nt.RequiresGrad, prediction.Index, target.Index);
        var p = np.Value.Span;
        var t = nt.Value.Span;
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double d = p[i] - t[i];
            sum += d * d;
        }

        node.Value.Span[0] = (float)(sum / p.Length);
        return new Var(this, _count - 1);
    }

    private static float SumDouble(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += v;
        }

        return (float)sum;
    }

    private Var SoftmaxFamily(OpKind kind, Var a)
    {
        var na = Check(a);
        int f = na.Value.Shape.Last;
        var node = NewNode(kind, na.Value.Shape, na.RequiresGrad, a.Index);
        var x = na.Value.Span;
        var y = node.Value.Span;
        for (int r = 0; r < na.Value.Shape.Rows; r++)
        {
            var xr = x.Slice(r * f, f);
            var yr = y.Slice(r * f, f);
            if (kind == OpKind.Softmax)
            {
                SoftmaxRow(xr, yr);
            }
            else
            {
                LogSoftmaxRow(xr, yr);
            }
        }

        return new Var(this, _count - 1);
    }

    /// <summary>Stable log-softmax of one row.</summary>
    internal static void LogSoftmaxRow(ReadOnlySpan<float> x, Span<float> y)
    {
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        double sum = 0;
        foreach (float v in y)
        {
            sum += Math.Exp(v);
        }

        TensorPrimitives.Subtract(y, (float)Math.Log(sum), y);
    }

    /// <summary>Stable softmax of one row.</summary>
    internal static void SoftmaxRow(ReadOnlySpan<float> x, Span<float> y)
    {
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, y);
        float sum = TensorPrimitives.Sum(y);
        TensorPrimitives.Divide(y, sum, y);
    }

    private void BackwardReduce(Node node)
    {
        var na = At(node.A);
        var dx = GradSpan(node.A);
        var g = node.Grad.Span;
        switch (node.Kind)
        {
            case OpKind.Sum:
                TensorPrimitives.Add(dx, g[0], dx);
                break;
            case OpKind.Mean:
                TensorPrimitives.Add(dx, g[0] / na.Value.Length, dx);
                break;
            case OpKind.SumLast:
                {
                    int f = na.Value.Shape.Last;
                    for (int r = 0; r < g.Length; r++)
                    {
                        TensorPrimitives.Add(dx.Slice(r * f, f), g[r], dx.Slice(r * f, f));
                    }

                    break;
                }

            case OpKind.Gather:
                {
                    int f = na.Value.Shape.Last;
                    for (int r = 0; r < g.Length; r++)
                    {
                        dx[(r * f) + node.Ints[r]] += g[r];
                    }

                    break;
                }

            default:
                BackwardSoftmaxFamily(node, g, dx);
                break;
        }
    }

    private static void BackwardSoftmaxFamily(Node node, ReadOnlySpan<float> g, Span<float> dx)
    {
        int f = node.Value.Shape.Last;
        var y = node.Value.Span;
        for (int r = 0; r < node.Value.Shape.Rows; r++)
        {
            var gr = g.Slice(r * f, f);
            var yr = y.Slice(r * f, f);
            var dr = dx.Slice(r * f, f);
            if (node.Kind == OpKind.LogSoftmax)
            {
                // d/dx log softmax: g − softmax·Σg.
                float gs = TensorPrimitives.Sum(gr);
                for (int j = 0; j < f; j++)
                {
                    dr[j] += gr[j] - (MathF.Exp(yr[j]) * gs);
                }
            }
            else
            {
                float dot = TensorPrimitives.Dot(gr, yr);
                for (int j = 0; j < f; j++)
                {
                    dr[j] += yr[j] * (gr[j] - dot);
                }
            }
        }
    }

    private void BackwardMse(Node node)
    {
        var np = At(node.A);
        var nt = At(node.B);
        var p = np.Value.Span;
        var t = nt.Value.Span;
        float scale = 2f * node.Grad.Span[0] / p.Length;
        var dp = np.RequiresGrad ? GradSpan(node.A) : default;
        var dt = nt.RequiresGrad ? GradSpan(node.B) : default;
        for (int i = 0; i < p.Length; i++)
        {
            float d = scale * (p[i] - t[i]);
            if (np.RequiresGrad)
            {
                dp[i] += d;
            }

            if (nt.RequiresGrad)
            {
                dt[i] -= d;
            }
        }
    }
}
