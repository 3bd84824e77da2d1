namespace PipeRL.Tensors;

/// <summary>The LSTM cell's point-wise part (the gate products are ordinary <see cref="Linear"/> ops).</summary>
public sealed partial class Tape
{
    /// <summary>
    /// One LSTM step from pre-activation gates [rows, 4H] (PyTorch order i, f, g, o) and the cell state c [rows, H]:
    /// c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'). Returns (h', c').
    /// </summary>
    public (Var H, Var C) LstmPointwise(Var gates, Var c)
    {
        var ng = Check(gates);
        var nc = Check(c);
        int hidden = nc.Value.Shape.Last;
        int rows = nc.Value.Shape.Rows;
        if (ng.Value.Shape.Last != 4 * hidden || ng.Value.Shape.Rows != rows)
        {
            throw new ArgumentException($"LSTM: gates {ng.Value.Shape} must be [{rows}, {4 * hidden}] for the cell state {nc.Value.Shape}.", nameof(gates));
        }

        var cNode = NewNode(OpKind.LstmC, nc.Value.Shape, ng.RequiresGrad || nc.RequiresGrad, gates.Index, c.Index);
        int cIndex = _count - 1;
        var hNode = NewNode(OpKind.LstmH, nc.Value.Shape, cNode.RequiresGrad, gates.Index, cIndex);
        Kernels.LstmKernel.Forward(ng.Value.Span, nc.Value.Span, hNode.Value.Span, cNode.Value.Span, rows, hidden);
        return (new Var(this, _count - 1), new Var(this, cIndex));
    }

    private void BackwardLstmC(Node node)
    {
        var ng = At(node.A);
        var nc = At(node.B);
        int hidden = node.Value.Shape.Last;
        var gates = ng.Value.Span;
        var cPrev = nc.Value.Span;
        var g = node.Grad.Span;
        var dGates = ng.RequiresGrad ? GradSpan(node.A) : default;
        var dc = nc.RequiresGrad ? GradSpan(node.B) : default;
        for (int r = 0; r < node.Value.Shape.Rows; r++)
        {
            int gb = r * 4 * hidden;
            for (int j = 0; j < hidden; j++)
            {
                int idx = (r * hidden) + j;
                float i = Kernels.LstmKernel.Sigmoid(gates[gb + j]);
                float f = Kernels.LstmKernel.Sigmoid(gates[gb + hidden + j]);
                float gg = MathF.Tanh(gates[gb + (2 * hidden) + j]);
                float gi = g[idx];
                if (ng.RequiresGrad)
                {
                    dGates[gb + j] += gi * gg * i * (1f - i);
                    dGates[gb + hidden + j] += gi * cPrev[idx] * f * (1f - f);
                    dGates[gb + (2 * hidden) + j] += gi * i * (1f - (gg * gg));
                }

                if (nc.RequiresGrad)
                {
                    dc[idx] += gi * f;
                }
            }
        }
    }

    private void BackwardLstmH(Node node)
    {
        var ng = At(node.A);
        var nc = At(node.B);
        int hidden = node.Value.Shape.Last;
        var gates = ng.Value.Span;
        var cNew = nc.Value.Span;
        var g = node.Grad.Span;
        var dGates = ng.RequiresGrad ? GradSpan(node.A) : default;
        var dc = GradSpan(node.B);
        for (int r = 0; r < node.Value.Shape.Rows; r++)
        {
            int gb = r * 4 * hidden;
            for (int j = 0; j < hidden; j++)
            {
                int idx = (r * hidden) + j;
                float o = Kernels.LstmKernel.Sigmoid(gates[gb + (3 * hidden) + j]);
                float tc = MathF.Tanh(cNew[idx]);
                if (ng.RequiresGrad)
                {
                    dGates[gb + (3 * hidden) + j] += g[idx] * tc * o * (1f - o);
                }

                dc[idx] += g[idx] * o * (1f - (tc * tc));
            }
        }
    }
}
