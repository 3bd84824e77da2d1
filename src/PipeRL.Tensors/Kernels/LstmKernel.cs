using System.Runtime.CompilerServices;

namespace PipeRL.Tensors.Kernels;

/// <summary>The point-wise part of an LSTM cell (gate order i, f, g, o as in PyTorch).</summary>
public static class LstmKernel
{
    /// <summary>c' = σ(f)·c + σ(i)·tanh(g); h' = σ(o)·tanh(c'), for gates [rows, 4H] and c [rows, H].</summary>
    public static void Forward(ReadOnlySpan<float> gates, ReadOnlySpan<float> c, Span<float> hOut, Span<float> cOut, int rows, int hidden)
    {
        for (int r = 0; r < rows; r++)
        {
            int gb = r * 4 * hidden;
            for (int j = 0; j < hidden; j++)
            {
                int idx = (r * hidden) + j;
                float i = Sigmoid(gates[gb + j]);
                float f = Sigmoid(gates[gb + hidden + j]);
                float g = MathF.Tanh(gates[gb + (2 * hidden) + j]);
                float o = Sigmoid(gates[gb + (3 * hidden) + j]);
                float cn = (f * c[idx]) + (i * g);
                cOut[idx] = cn;
                hOut[idx] = o * MathF.Tanh(cn);
            }
        }
    }

    /// <summary>The logistic function.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
