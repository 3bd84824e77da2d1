using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace PipeRL.Tensors;

/// <summary>Element-wise operations.</summary>
public sealed partial class Tape
{
    /// <summary>a + b (equal lengths, or one single-element operand broadcast); the result has the larger operand's shape.</summary>
    public Var Add(Var a, Var b) => Binary(OpKind.Add, a, b);

    /// <summary>a − b (equal lengths, or one single-element operand broadcast).</summary>
    public Var Sub(Var a, Var b) => Binary(OpKind.Sub, a, b);

    /// <summary>a · b element-wise (equal lengths, or one single-element operand broadcast).</summary>
    public Var Mul(Var a, Var b) => Binary(OpKind.Mul, a, b);

    /// <summary>a / b element-wise (equal lengths, or one single-element operand broadcast).</summary>
    public Var Div(Var a, Var b) => Binary(OpKind.Div, a, b);

    /// <summary>min(a, b) element-wise; on ties each side gets half the gradient (as <c>torch.minimum</c>).</summary>
    public Var Minimum(Var a, Var b) => Binary(OpKind.Minimum, a, b);

    /// <summary>max(a, b) element-wise; on ties each side gets half the gradient (as <c>torch.maximum</c>).</summary>
    public Var Maximum(Var a, Var b) => Binary(OpKind.Maximum, a, b);

    /// <summary>s · a.</summary>
    public Var Scale(Var a, float s)
    {
        var na = Check(a);
        var node = NewNode(OpKind.Scale, na.Value.Shape, na.RequiresGrad, a.Index);
        node.F0 = s;
        TensorPrimitives.Multiply(na.Value.Span, s, node.Value.Span);
        return new Var(this, _count - 1);
    }

    /// <summary>a + s.</summary>
    public Var AddScalar(Var a, float s)
    {
        var na = Check(a);
        var node = NewNode(OpKind.AddScalar, na.Value.Shape, na.RequiresGrad, a.Index);
        TensorPrimitives.Add(na.Value.Span, s, node.Value.Span);
        return new Var(this, _count - 1);
    }

    /// <summary>−a.</summary>
    public Var Neg(Var a) => Scale(a, -1f);

    /// <summary>eᵃ.</summary>
    public Var Exp(Var a) => Unary(OpKind.Exp, a);

    /// <summary>Natural logarithm.</summary>
    public Var Log(Var a) => Unary(OpKind.Log, a);

    /// <summary>a².</summary>
    public Var Square(Var a) => Unary(OpKind.Square, a);

    /// <summary>√a.</summary>
    public Var Sqrt(Var a) => Unary(OpKind.Sqrt, a);

    /// <summary>max(a, 0); the gradient at 0 is 0 (as PyTorch).</summary>
    public Var Relu(Var a) => Unary(OpKind.Relu, a);

    /// <summary>tanh(a).</summary>
    public Var Tanh(Var a) => Unary(OpKind.Tanh, a);

    /// <summary>1 / (1 + e⁻ᵃ).</summary>
    public Var Sigmoid(Var a) => Unary(OpKind.Sigmoid, a);

    /// <summary>a clamped to [lo, hi]; the gradient passes where lo ≤ a ≤ hi (as <c>torch.clamp</c>).</summary>
    public Var Clamp(Var a, float lo, float hi)
    {
        if (!(lo <= hi))
        {
            throw new ArgumentException($"Clamp needs lo <= hi, got lo={lo}, hi={hi}.", nameof(lo));
        }

        var na = Check(a);
        var node = NewNode(OpKind.Clamp, na.Value.Shape, na.RequiresGrad, a.Index);
        node.F0 = lo;
        node.F1 = hi;
        var x = na.Value.Span;
        var y = node.Value.Span;
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = Math.Clamp(x[i], lo, hi);
        }

        return new Var(this, _count - 1);
    }

    private Var Binary(OpKind kind, Var a, Var b)
    {
        var na = Check(a);
        var nb = Check(b);
        int la = na.Value.Length;
        int lb = nb.Value.Length;
        if (la != lb && la != 1 && lb != 1)
        {
            throw new ArgumentException($"{kind}: operands {na.Value.Shape} and {nb.Value.Shape} differ in length; use equal shapes or a single-element operand.", nameof(b));
        }

        var shape = la >= lb ? na.Value.Shape : nb.Value.Shape;
        var node = NewNode(kind, shape, na.RequiresGrad || nb.RequiresGrad, a.Index, b.Index);
        var x = na.Value.Span;
        var y = nb.Value.Span;
        var z = node.Value.Span;
        if (la == lb)
        {
            switch (kind)
            {
                case OpKind.Add: TensorPrimitives.Add(x, y, z); break;
                case OpKind.Sub: TensorPrimitives.Subtract(x, y, z); break;
                case OpKind.Mul: TensorPrimitives.Multiply(x, y, z); break;
                case OpKind.Div: TensorPrimitives.Divide(x, y, z); break;
                case OpKind.Minimum: TensorPrimitives.Min(x, y, z); break;
                default: TensorPrimitives.Max(x, y, z); break;
            }
        }
        else
        {
            for (int i = 0; i < z.Length; i++)
            {
                z[i] = Apply(kind, x[la == 1 ? 0 : i], y[lb == 1 ? 0 : i]);
            }
        }

        return new Var(this, _count - 1);
    }

    private static float Apply(OpKind kind, float x, float y) => kind switch
    {
        OpKind.Add => x + y,
        OpKind.Sub => x - y,
        OpKind.Mul => x * y,
        OpKind.Div => x / y,
        OpKind.Minimum => MathF.Min(x, y),
        _ => MathF.Max(x, y),
    };

    private Var Unary(OpKind kind, Var a)
    {
        var na = Check(a);
        var node = NewNode(kind, na.Value.Shape, na.RequiresGrad, a.Index);
        var x = na.Value.Span;
        var y = node.Value.Span;
        switch (kind)
        {
            case OpKind.Exp: TensorPrimitives.Exp(x, y); break;
            case OpKind.Log: TensorPrimitives.Log(x, y); break;
            case OpKind.Square: TensorPrimitives.Multiply(x, x, y); break;
            case OpKind.Sqrt: TensorPrimitives.Sqrt(x, y); break;
            case OpKind.Relu: TensorPrimitives.Max(x, 0f, y); break;
            case OpKind.Tanh: TensorPrimitives.Tanh(x, y); break;
            default: TensorPrimitives.Sigmoid(x, y); break;
        }

        return new Var(this, _count - 1);
    }

    private void BackwardBinary(Node node)
    {
        var na = At(node.A);
        var nb = At(node.B);
        var g = node.Grad.Span;
        var x = na.Value.Span;
        var y = nb.Value.Span;
        int la = x.Length;
        int lb = y.Length;
        var da = na.RequiresGrad ? GradSpan(node.A) : default;
        var db = nb.RequiresGrad ? GradSpan(node.B) : default;
        bool wantA = na.RequiresGrad;
        bool wantB = nb.RequiresGrad;
        if (la == lb && node.Kind is OpKind.Add or OpKind.Sub)
        {
            if (wantA)
            {
                TensorPrimitives.Add(da, g, da);
            }

            if (wantB)
            {
                if (node.Kind == OpKind.Add)
                {
                    TensorPrimitives.Add(db, g, db);
                }
                else
                {
                    TensorPrimitives.Subtract(db, g, db);
                }
            }

            return;
        }

        for (int i = 0; i < g.Length; i++)
        {
            int ia = la == 1 ? 0 : i;
            int ib = lb == 1 ? 0 : i;
            float xv = x[ia];
            float yv = y[ib];
            float gi = g[i];
            float ga;
            float gb;
            switch (node.Kind)
            {
                case OpKind.Add: ga = gi; gb = gi; break;
                case OpKind.Sub: ga = gi; gb = -gi; break;
                case OpKind.Mul: ga = gi * yv; gb = gi * xv; break;
                case OpKind.Div: ga = gi / yv; gb = -gi * xv / (yv * yv); break;
                case OpKind.Minimum:
                    ga = xv < yv ? gi : xv == yv ? 0.5f * gi : 0f;
                    gb = yv < xv ? gi : xv == yv ? 0.5f * gi : 0f;
                    break;
                default:
                    ga = xv > yv ? gi : xv == yv ? 0.5f * gi : 0f;
                    gb = yv > xv ? gi : xv == yv ? 0.5f * gi : 0f;
                    break;
            }

            if (wantA)
            {
                da[ia] += ga;
            }

            if (wantB)
            {
                db[ib] += gb;
            }
        }
    }

    private void BackwardUnary(Node node)
    {
        var g = node.Grad.Span;
        var x = At(node.A).Value.Span;
        var y = node.Value.Span;
        var dx = GradSpan(node.A);
        switch (node.Kind)
        {
            case OpKind.Scale:
                TensorPrimitives.MultiplyAdd(g, node.F0, dx, dx);
                return;
            case OpKind.AddScalar:
                TensorPrimitives.Add(dx, g, dx);
                return;
            case OpKind.Exp:
                TensorPrimitives.MultiplyAdd(g, y, dx, dx);
                return;
            case OpKind.Relu:
                ReluBackward(g, y, dx);
                return;
            case OpKind.Tanh:
                TanhBackward(g, y, dx);
                return;
            default:
                break;
        }

        for (int i = 0; i < g.Length; i++)
        {
            dx[i] += node.Kind switch
            {
                OpKind.Log => g[i] / x[i],
                OpKind.Square => 2f * x[i] * g[i],
                OpKind.Sqrt => 0.5f * g[i] / y[i],
                OpKind.Sigmoid => g[i] * y[i] * (1f - y[i]),
                _ => x[i] >= node.F0 && x[i] <= node.F1 ? g[i] : 0f,
            };
        }
    }

    /// <summary>dx += g where y &gt; 0.</summary>
    internal static void ReluBackward(ReadOnlySpan<float> g, ReadOnlySpan<float> y, Span<float> dx)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= g.Length; i += 8)
            {
                var mask = Vector256.GreaterThan(Vector256.Create(y.Slice(i, 8)), Vector256<float>.Zero);
                var add = Vector256.BitwiseAnd(Vector256.Create(g.Slice(i, 8)), mask);
                (Vector256.Create(dx.Slice(i, 8)) + add).CopyTo(dx.Slice(i, 8));
            }
        }

        for (; i < g.Length; i++)
        {
            dx[i] += y[i] > 0f ? g[i] : 0f;
        }
    }

    /// <summary>masked = g where y &gt; 0, else 0 (the gradient through a ReLU whose output is y, written rather than added).</summary>
    internal static void ReluMask(ReadOnlySpan<float> g, ReadOnlySpan<float> y, Span<float> masked)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= g.Length; i += 8)
            {
                var mask = Vector256.GreaterThan(Vector256.Create(y.Slice(i, 8)), Vector256<float>.Zero);
                Vector256.BitwiseAnd(Vector256.Create(g.Slice(i, 8)), mask).CopyTo(masked.Slice(i, 8));
            }
        }

        for (; i < g.Length; i++)
        {
            masked[i] = y[i] > 0f ? g[i] : 0f;
        }
    }

    /// <summary>dx += g·(1 − y²).</summary>
    internal static void TanhBackward(ReadOnlySpan<float> g, ReadOnlySpan<float> y, Span<float> dx)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var one = Vector256<float>.One;
            for (; i + 8 <= g.Length; i += 8)
            {
                var yv = Vector256.Create(y.Slice(i, 8));
                var add = Vector256.Create(g.Slice(i, 8)) * (one - (yv * yv));
                (Vector256.Create(dx.Slice(i, 8)) + add).CopyTo(dx.Slice(i, 8));
            }
        }

        for (; i < g.Length; i++)
        {
            dx[i] += g[i] * (1f - (y[i] * y[i]));
        }
    }
}
