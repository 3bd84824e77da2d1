using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PipeRL.Tensors;

/// <summary>
/// Modified Gram-Schmidt on the columns of a column-major matrix, blocked for speed but performing, for every column, the
/// very floating-point operations of the plain column-at-a-time loop in the same order, so the result is bit-identical:
/// each dot product is one sequential double sum over the rows, each update is x − dot·q (multiply, then subtract) and
/// each normalisation divides by the square root of a sequential sum of squares.
/// </summary>
/// <remarks>
/// Columns are processed in panels of <see cref="Block"/>: a panel is copied row-major (row i holds the panel's
/// columns side by side), so one 256-bit vector carries the dot chains of four columns; four vectors give sixteen
/// independent chains, which hides the add latency that bounds a single sequential sum. Against each finished column p
/// the panel needs a full sweep (the dot must be complete before the update); the update by p is fused with the dot of
/// p + 1 in one sweep, which is the same per-element order (an element is updated by p before it is read for p + 1).
/// </remarks>
internal static class GramSchmidt
{
    /// <summary>Columns orthogonalised together (four 256-bit vectors of doubles).</summary>
    internal const int Block = 16;

    /// <summary>
    /// Orthonormalises, in order, the <paramref name="n"/> columns of <paramref name="q"/> (column j at
    /// q[j·m .. j·m + m)) in place.
    /// </summary>
    public static void Orthonormalize(double[] q, int m, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(q.Length, m * n);
        var panel = new double[m * Block];
        var dots = new double[Block];
        for (int j0 = 0; j0 < n; j0 += Block)
        {
            int width = Math.Min(Block, n - j0);
            for (int i = 0; i < m; i++)
            {
                int row = i * Block;
                for (int k = 0; k < width; k++)
                {
                    panel[row + k] = q[((j0 + k) * m) + i];
                }

                // Unused lanes stay zero: they only feed their own (discarded) chains.
                for (int k = width; k < Block; k++)
                {
                    panel[row + k] = 0;
                }
            }

            OrthonormalizePanel(q, m, j0, width, panel, dots);
            for (int k = 0; k < width; k++)
            {
                int column = (j0 + k) * m;
                for (int i = 0; i < m; i++)
                {
                    q[column + i] = panel[(i * Block) + k];
                }
            }
        }
    }

    private static void OrthonormalizePanel(double[] q, int m, int j0, int width, double[] panel, double[] dots)
    {
        ref double p0 = ref MemoryMarshal.GetArrayDataReference(panel);
        ref double q0 = ref MemoryMarshal.GetArrayDataReference(q);
        var d0 = Vector256<double>.Zero;
        var d1 = Vector256<double>.Zero;
        var d2 = Vector256<double>.Zero;
        var d3 = Vector256<double>.Zero;

        // The pending update (coefficients d, source column) that each lane still owes; none before the first column.
        bool pending = j0 > 0;
        ref double source = ref q0;
        nint sourceStride = 1;
        if (pending)
        {
            (d0, d1, d2, d3) = SweepDot(ref p0, ref q0, m);
            for (int p = 1; p < j0; p++)
            {
                ref double previous = ref Unsafe.Add(ref q0, (nint)(p - 1) * m);
                ref double next = ref Unsafe.Add(ref q0, (nint)p * m);
                (d0, d1, d2, d3) = SweepUpdateDot(ref p0, ref previous, d0, d1, d2, d3, ref next, m);
            }

            source = ref Unsafe.Add(ref q0, (nint)(j0 - 1) * m);
        }

        for (int k = 0; k < width; k++)
        {
            // Lane k's last update (by the previous column) and its sum of squares, in one sweep.
            double norm;
            if (pending)
            {
                d0.StoreUnsafe(ref dots[0]);
                d1.StoreUnsafe(ref dots[0], 4);
                d2.StoreUnsafe(ref dots[0], 8);
                d3.StoreUnsafe(ref dots[0], 12);
                norm = SweepUpdateNorm(ref p0, ref source, sourceStride, d0, d1, d2, d3, k, dots[k], m);
            }
            else
            {
                norm = 0;
                for (int i = 0; i < m; i++)
                {
                    double x = Unsafe.Add(ref p0, (i * Block) + k);
                    norm += x * x;
                }
            }

            // R's diagonal is +norm in Gram-Schmidt, so PyTorch's sign fix is already satisfied.
            norm = Math.Sqrt(norm);
            if (k + 1 < width)
            {
                (d0, d1, d2, d3) = SweepNormalizeDot(ref p0, k, norm, m);
                pending = true;
                source = ref Unsafe.Add(ref p0, k);
                sourceStride = Block;
            }
            else
            {
                for (int i = 0; i < m; i++)
                {
                    Unsafe.Add(ref p0, (i * Block) + k) /= norm;
                }
            }
        }
    }

    /// <summary>Dot of every lane with column t: one sequential sum over the rows per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double>, Vector256<double>, Vector256<double>, Vector256<double>) SweepDot(ref double panel, ref double t, int m)
    {
        var a0 = Vector256<double>.Zero;
        var a1 = Vector256<double>.Zero;
        var a2 = Vector256<double>.Zero;
        var a3 = Vector256<double>.Zero;
        for (int i = 0; i < m; i++)
        {
            nuint row = (nuint)(i * Block);
            var tv = Vector256.Create(Unsafe.Add(ref t, i));
            a0 += Vector256.LoadUnsafe(ref panel, row) * tv;
            a1 += Vector256.LoadUnsafe(ref panel, row + 4) * tv;
            a2 += Vector256.LoadUnsafe(ref panel, row + 8) * tv;
            a3 += Vector256.LoadUnsafe(ref panel, row + 12) * tv;
        }

        return (a0, a1, a2, a3);
    }

    /// <summary>Every lane −= d·s (s a finished column), then the dot of the updated lane with column t.</summary>
    private static (Vector256<double>, Vector256<double>, Vector256<double>, Vector256<double>) SweepUpdateDot(
        ref double panel, ref double s, Vector256<double> d0, Vector256<double> d1, Vector256<double> d2, Vector256<double> d3, ref double t, int m)
    {
        var a0 = Vector256<double>.Zero;
        var a1 = Vector256<double>.Zero;
        var a2 = Vector256<double>.Zero;
        var a3 = Vector256<double>.Zero;
        for (int i = 0; i < m; i++)
        {
            nuint row = (nuint)(i * Block);
            var sv = Vector256.Create(Unsafe.Add(ref s, i));
            var tv = Vector256.Create(Unsafe.Add(ref t, i));
            var x0 = Vector256.LoadUnsafe(ref panel, row) - (d0 * sv);
            var x1 = Vector256.LoadUnsafe(ref panel, row + 4) - (d1 * sv);
            var x2 = Vector256.LoadUnsafe(ref panel, row + 8) - (d2 * sv);
            var x3 = Vector256.LoadUnsafe(ref panel, row + 12) - (d3 * sv);
            x0.StoreUnsafe(ref panel, row);
            x1.StoreUnsafe(ref panel, row + 4);
            x2.StoreUnsafe(ref panel, row + 8);
            x3.StoreUnsafe(ref panel, row + 12);
            a0 += x0 * tv;
            a1 += x1 * tv;
            a2 += x2 * tv;
            a3 += x3 * tv;
        }

        return (a0, a1, a2, a3);
    }

    /// <summary>
    /// Lanes k and above −= d·s (s a finished column, read with a stride); returns lane k's sum of squares after the update.
    /// </summary>
    private static double SweepUpdateNorm(
        ref double panel,
        ref double s,
        nint stride,
        Vector256<double> d0,
        Vector256<double> d1,
        Vector256<double> d2,
        Vector256<double> d3,
        int k,
        double dk,
        int m)
    {
        // Lanes below k are finished and must keep their bits, so the update is blended in rather than applied with d = 0.
        var lane = Vector256.Create(0.0, 1.0, 2.0, 3.0);
        var m0 = Vector256.GreaterThanOrEqual(lane, Vector256.Create((double)k));
        var m1 = Vector256.GreaterThanOrEqual(lane, Vector256.Create((double)(k - 4)));
        var m2 = Vector256.GreaterThanOrEqual(lane, Vector256.Create((double)(k - 8)));
        var m3 = Vector256.GreaterThanOrEqual(lane, Vector256.Create((double)(k - 12)));
        double norm = 0;
        for (int i = 0; i < m; i++)
        {
            nuint row = (nuint)(i * Block);
            double si = Unsafe.Add(ref s, i * stride);
            var sv = Vector256.Create(si);
            var x0 = Vector256.LoadUnsafe(ref panel, row);
            var x1 = Vector256.LoadUnsafe(ref panel, row + 4);
            var x2 = Vector256.LoadUnsafe(ref panel, row + 8);
            var x3 = Vector256.LoadUnsafe(ref panel, row + 12);

            // Lane k's new value again as a scalar (same operations, same bits), so the sum of squares need not read it back.
            double xk = Unsafe.Add(ref panel, (nint)row + k) - (dk * si);
            Vector256.ConditionalSelect(m0, x0 - (d0 * sv), x0).StoreUnsafe(ref panel, row);
            Vector256.ConditionalSelect(m1, x1 - (d1 * sv), x1).StoreUnsafe(ref panel, row + 4);
            Vector256.ConditionalSelect(m2, x2 - (d2 * sv), x2).StoreUnsafe(ref panel, row + 8);
            Vector256.ConditionalSelect(m3, x3 - (d3 * sv), x3).StoreUnsafe(ref panel, row + 12);
            norm += xk * xk;
        }

        return norm;
    }

    /// <summary>Lane k /= norm, then the dot of every lane with the normalised lane k.</summary>
    private static (Vector256<double>, Vector256<double>, Vector256<double>, Vector256<double>) SweepNormalizeDot(ref double panel, int k, double norm, int m)
    {
        var a0 = Vector256<double>.Zero;
        var a1 = Vector256<double>.Zero;
        var a2 = Vector256<double>.Zero;
        var a3 = Vector256<double>.Zero;
        for (int i = 0; i < m; i++)
        {
            nuint row = (nuint)(i * Block);
            var x0 = Vector256.LoadUnsafe(ref panel, row);
            var x1 = Vector256.LoadUnsafe(ref panel, row + 4);
            var x2 = Vector256.LoadUnsafe(ref panel, row + 8);
            var x3 = Vector256.LoadUnsafe(ref panel, row + 12);

            // Lanes above k are untouched here, so the vectors loaded before the store serve their dots.
            ref double xk = ref Unsafe.Add(ref panel, (nint)row + k);
            double y = xk / norm;
            xk = y;
            var yv = Vector256.Create(y);
            a0 += x0 * yv;
            a1 += x1 * yv;
            a2 += x2 * yv;
            a3 += x3 * yv;
        }

        return (a0, a1, a2, a3);
    }
}
