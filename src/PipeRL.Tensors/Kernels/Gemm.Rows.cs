using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PipeRL.Tensors.Kernels;

/// <summary>The small-m paths: dot products against rows of Bᵀ and row updates against rows of B, nothing packed.</summary>
public static unsafe partial class Gemm
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fmadd(Vector256<float> x, Vector256<float> y, Vector256<float> acc)
        => Fma.IsSupported ? Fma.MultiplyAdd(x, y, acc) : (x * y) + acc;

    /// <summary>Rows of C as dot products of A's rows with B's (transposed-stored) rows, 8 outputs at a time.</summary>
    private static void DotRows(float* a, int rsA, int csA, float* b, float* c, int m, int n, int k, bool accumulate)
    {
        // A strided row of A is gathered first: on the stack when short, else in this thread's packing buffer (unused here).
        float* row = stackalloc float[csA == 1 ? 1 : Math.Min(k, 4096)];
        float[]? scratch = csA != 1 && k > 4096 ? PackBuffer(k) : null;
        fixed (float* big = scratch)
        {
            for (int i = 0; i < m; i++)
            {
                float* x = a + (i * rsA);
                if (csA != 1)
                {
                    float* dst = scratch is null ? row : big;
                    for (int kk = 0; kk < k; kk++)
                    {
                        dst[kk] = x[kk * csA];
                    }

                    x = dst;
                }

                DotRow(x, b, c + (i * n), n, k, accumulate);
            }
        }
    }

    private static void DotRow(float* x, float* w, float* y, int n, int k, bool accumulate)
    {
        int kv = k & ~7;
        int rest = k - kv;
        float* partial = stackalloc float[8];

        // The k tail is one more masked FMA step: lanes past k load as zero (Avx.MaskLoad never touches them).
        var mask = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(rest)).AsSingle();
        bool masked = rest > 0 && Avx.IsSupported;
        for (int j = 0; j < n; j += 8)
        {
            // A last block of fewer than 8 outputs repeats its last row and stores only the valid lanes.
            int nr = Math.Min(8, n - j);
            float* w0 = w + (j * k);
            float* p1 = w0 + (Math.Min(1, nr - 1) * k);
            float* p2 = w0 + (Math.Min(2, nr - 1) * k);
            float* p3 = w0 + (Math.Min(3, nr - 1) * k);
            float* p4 = w0 + (Math.Min(4, nr - 1) * k);
            float* p5 = w0 + (Math.Min(5, nr - 1) * k);
            float* p6 = w0 + (Math.Min(6, nr - 1) * k);
            float* p7 = w0 + (Math.Min(7, nr - 1) * k);
            var s0 = Vector256<float>.Zero;
            var s1 = Vector256<float>.Zero;
            var s2 = Vector256<float>.Zero;
            var s3 = Vector256<float>.Zero;
            var s4 = Vector256<float>.Zero;
            var s5 = Vector256<float>.Zero;
            var s6 = Vector256<float>.Zero;
            var s7 = Vector256<float>.Zero;
            for (int kk = 0; kk < kv; kk += 8)
            {
                var xv = Vector256.Load(x + kk);
                s0 = Fmadd(xv, Vector256.Load(w0 + kk), s0);
                s1 = Fmadd(xv, Vector256.Load(p1 + kk), s1);
                s2 = Fmadd(xv, Vector256.Load(p2 + kk), s2);
                s3 = Fmadd(xv, Vector256.Load(p3 + kk), s3);
                s4 = Fmadd(xv, Vector256.Load(p4 + kk), s4);
                s5 = Fmadd(xv, Vector256.Load(p5 + kk), s5);
                s6 = Fmadd(xv, Vector256.Load(p6 + kk), s6);
                s7 = Fmadd(xv, Vector256.Load(p7 + kk), s7);
            }

            if (masked)
            {
                var xv = Avx.MaskLoad(x + kv, mask);
                s0 = Fmadd(xv, Avx.MaskLoad(w0 + kv, mask), s0);
                s1 = Fmadd(xv, Avx.MaskLoad(p1 + kv, mask), s1);
                s2 = Fmadd(xv, Avx.MaskLoad(p2 + kv, mask), s2);
                s3 = Fmadd(xv, Avx.MaskLoad(p3 + kv, mask), s3);
                s4 = Fmadd(xv, Avx.MaskLoad(p4 + kv, mask), s4);
                s5 = Fmadd(xv, Avx.MaskLoad(p5 + kv, mask), s5);
                s6 = Fmadd(xv, Avx.MaskLoad(p6 + kv, mask), s6);
                s7 = Fmadd(xv, Avx.MaskLoad(p7 + kv, mask), s7);
            }

            var sum = Reduce8(s0, s1, s2, s3, s4, s5, s6, s7);
            if (rest > 0 && !masked)
            {
                for (int r = 0; r < 8; r++)
                {
                    float t = 0f;
                    float* wr = w0 + (Math.Min(r, nr - 1) * k);
                    for (int kk = kv; kk < k; kk++)
                    {
                        t += x[kk] * wr[kk];
                    }

                    partial[r] = t;
                }

                sum += Vector256.Load(partial);
            }

            if (nr == 8)
            {
                if (accumulate)
                {
                    sum += Vector256.Load(y + j);
                }

                sum.Store(y + j);
            }
            else
            {
                sum.Store(partial);
                for (int r = 0; r < nr; r++)
                {
                    y[j + r] = accumulate ? y[j + r] + partial[r] : partial[r];
                }
            }
        }
    }

    /// <summary>Sums each of eight vectors; lane r of the result is the sum of vector r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Reduce8(
        Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3,
        Vector256<float> s4, Vector256<float> s5, Vector256<float> s6, Vector256<float> s7)
    {
        if (Avx.IsSupported)
        {
            var u0 = Avx.HorizontalAdd(Avx.HorizontalAdd(s0, s1), Avx.HorizontalAdd(s2, s3));
            var u1 = Avx.HorizontalAdd(Avx.HorizontalAdd(s4, s5), Avx.HorizontalAdd(s6, s7));
            return Avx.Permute2x128(u0, u1, 0x20) + Avx.Permute2x128(u0, u1, 0x31);
        }

        return Vector256.Create(
            Vector256.Sum(s0), Vector256.Sum(s1), Vector256.Sum(s2), Vector256.Sum(s3),
            Vector256.Sum(s4), Vector256.Sum(s5), Vector256.Sum(s6), Vector256.Sum(s7));
    }

    /// <summary>Rows of C as sums of A[i,k]·B[k,:], 32 columns held in registers at a time.</summary>
    private static void AxpyRows(float* a, int rsA, int csA, float* b, float* c, int m, int n, int k, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            float* x = a + (i * rsA);
            float* y = c + (i * n);
            int j = 0;
            for (; j + 32 <= n; j += 32)
            {
                var c0 = accumulate ? Vector256.Load(y + j) : Vector256<float>.Zero;
                var c1 = accumulate ? Vector256.Load(y + j + 8) : Vector256<float>.Zero;
                var c2 = accumulate ? Vector256.Load(y + j + 16) : Vector256<float>.Zero;
                var c3 = accumulate ? Vector256.Load(y + j + 24) : Vector256<float>.Zero;
                float* p = b + j;
                for (int kk = 0; kk < k; kk++, p += n)
                {
                    var xv = Vector256.Create(x[kk * csA]);
                    c0 = Fmadd(xv, Vector256.Load(p), c0);
                    c1 = Fmadd(xv, Vector256.Load(p + 8), c1);
                    c2 = Fmadd(xv, Vector256.Load(p + 16), c2);
                    c3 = Fmadd(xv, Vector256.Load(p + 24), c3);
                }

                c0.Store(y + j);
                c1.Store(y + j + 8);
                c2.Store(y + j + 16);
                c3.Store(y + j + 24);
            }

            for (; j + 8 <= n; j += 8)
            {
                var c0 = accumulate ? Vector256.Load(y + j) : Vector256<float>.Zero;
                float* p = b + j;
                for (int kk = 0; kk < k; kk++, p += n)
                {
                    c0 = Fmadd(Vector256.Create(x[kk * csA]), Vector256.Load(p), c0);
                }

                c0.Store(y + j);
            }

            for (; j < n; j++)
            {
                float t = 0f;
                for (int kk = 0; kk < k; kk++)
                {
                    t += x[kk * csA] * b[(kk * n) + j];
                }

                y[j] = accumulate ? y[j] + t : t;
            }
        }
    }
}
