using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PipeRL.Tensors.Kernels;

/// <summary>
/// Batch-1 <c>x·Wᵀ</c> on a copy of W laid out for streaming: the dot products of <see cref="DotRows"/>, to the bit, read
/// from one stretch of memory instead of eight rows at once.
/// </summary>
/// <remarks>
/// <see cref="DotRow"/> keeps eight partial sums per output (inputs k ≡ 0..7 mod 8, each a chain of fused multiply-adds in
/// order) and adds them as ((p0+p1)+(p2+p3))+((p4+p5)+(p6+p7)). Here a panel of <see cref="DotPanelWidth"/> outputs holds
/// the same eight partial sums in eight registers, one lane per output, fed by the panel's weights for input k, which
/// lie next to each other; the same terms in the same order and the same final additions give the same bits. On a
/// 1600x128 layer this reads the weight 1.4-1.8x faster (the row-wise kernel streams from eight places at once).
/// </remarks>
public static unsafe partial class Gemm
{
    /// <summary>Outputs per panel of <see cref="PackDotPanels"/>: one 512-bit register (two 256-bit ones).</summary>
    public const int DotPanelWidth = 16;

    private const int Partials = 8;

    /// <summary>Whether <see cref="MultiplyDotPanels"/> runs here (256-bit SIMD); without it callers keep <see cref="Multiply"/>.</summary>
    public static bool DotPanelsSupported => Vector256.IsHardwareAccelerated && Avx.IsSupported;

    /// <summary>The floats of <see cref="PackDotPanels"/>'s layout of a weight [<paramref name="n"/>, <paramref name="k"/>].</summary>
    public static int DotPanelLength(int n, int k) => (n + DotPanelWidth - 1) / DotPanelWidth * DotPanelWidth * k;

    /// <summary>
    /// Writes <paramref name="w"/> [n, k] (outputs by inputs) as panels of 16 outputs: W[16p + c, kk] at
    /// ((p · k) + kk) · 16 + c, zero past the last output.
    /// </summary>
    public static void PackDotPanels(ReadOnlySpan<float> w, int n, int k, Span<float> panels)
    {
        if (n <= 0 || k <= 0 || w.Length < n * k || panels.Length < DotPanelLength(n, k))
        {
            throw new ArgumentException($"A [{n}x{k}] weight needs {n * k} floats and {DotPanelLength(n, k)} for its panels, got {w.Length} and {panels.Length}.", nameof(w));
        }

        for (int p = 0; p < n; p += DotPanelWidth)
        {
            var panel = panels.Slice(p * k, DotPanelWidth * k);
            int width = Math.Min(DotPanelWidth, n - p);
            if (width < DotPanelWidth)
            {
                panel.Clear();
            }

            for (int c = 0; c < width; c++)
            {
                var row = w.Slice((p + c) * k, k);
                for (int kk = 0; kk < k; kk++)
                {
                    panel[(kk * DotPanelWidth) + c] = row[kk];
                }
            }
        }
    }

    /// <summary>
    /// C[m,n] = A[m,k]·Wᵀ (+ C with <paramref name="accumulate"/>, then max(·, 0) with <paramref name="relu"/>) for
    /// m ≤ 4 rows on W's panels from <see cref="PackDotPanels"/>: the bits of <see cref="Multiply"/> with W stored [n, k].
    /// </summary>
    public static void MultiplyDotPanels(ReadOnlySpan<float> a, ReadOnlySpan<float> panels, Span<float> c, int m, int n, int k, bool accumulate, bool relu = false)
        => MultiplyDotPanelsOn(a, panels, c, m, n, k, accumulate, relu, wide: Avx512F.IsSupported);

    /// <summary><see cref="MultiplyDotPanels"/> on 512-bit (<paramref name="wide"/>) or 256-bit registers, for tests of both on one CPU.</summary>
    internal static void MultiplyDotPanelsOn(ReadOnlySpan<float> a, ReadOnlySpan<float> panels, Span<float> c, int m, int n, int k, bool accumulate, bool relu, bool wide)
    {
        if (!DotPanelsSupported || (wide && !Avx512F.IsSupported))
        {
            throw new PlatformNotSupportedException("The dot-panel kernel needs 256-bit SIMD (AVX); use Gemm.Multiply on this CPU.");
        }

        if (m <= 0 || m > SmallRows || n <= 0 || k <= 0 || a.Length < m * k || panels.Length < DotPanelLength(n, k) || c.Length < m * n)
        {
            throw new ArgumentException($"A dot-panel product takes 1-{SmallRows} rows of [{m}x{k}]·[{k}x{n}] with {DotPanelLength(n, k)} panel floats; got A {a.Length}, panels {panels.Length}, C {c.Length}.", nameof(a));
        }

        float* last = stackalloc float[DotPanelWidth];
        fixed (float* pa = a, pp = panels, pc = c)
        {
            for (int i = 0; i < m; i++)
            {
                float* x = pa + (i * k);
                float* y = pc + (i * n);
                for (int p = 0; p < n; p += DotPanelWidth)
                {
                    // A last, partial panel is computed in full (its padding is zero) and only its outputs stored.
                    int width = Math.Min(DotPanelWidth, n - p);
                    float* target = width == DotPanelWidth ? y + p : last;
                    if (width < DotPanelWidth && accumulate)
                    {
                        new ReadOnlySpan<float>(y + p, width).CopyTo(new Span<float>(last, width));
                    }

                    if (wide)
                    {
                        DotPanel512(x, pp + (p * k), target, k, accumulate);
                    }
                    else
                    {
                        DotPanel256(x, pp + (p * k), target, k, accumulate);
                        DotPanel256(x, pp + (p * k) + 8, target + 8, k, accumulate);
                    }

                    if (width < DotPanelWidth)
                    {
                        new ReadOnlySpan<float>(last, width).CopyTo(new Span<float>(y + p, width));
                    }
                }
            }
        }

        if (relu)
        {
            TensorPrimitives.Max(c[..(m * n)], 0f, c[..(m * n)]);
        }
    }

    /// <summary>One panel of 16 outputs in 512-bit lanes: partial sum l takes the inputs k ≡ l mod 8, as in <see cref="DotRow"/>.</summary>
    private static void DotPanel512(float* x, float* panel, float* y, int k, bool accumulate)
    {
        int kv = k & ~(Partials - 1);
        var s0 = Vector512<float>.Zero;
        var s1 = Vector512<float>.Zero;
        var s2 = Vector512<float>.Zero;
        var s3 = Vector512<float>.Zero;
        var s4 = Vector512<float>.Zero;
        var s5 = Vector512<float>.Zero;
        var s6 = Vector512<float>.Zero;
        var s7 = Vector512<float>.Zero;
        float* w = panel;
        for (int kk = 0; kk < kv; kk += Partials, w += Partials * DotPanelWidth)
        {
            s0 = Avx512F.FusedMultiplyAdd(Vector512.Create(x[kk]), Vector512.Load(w), s0);
            s1 = Avx512F.FusedMultiplyAdd(Vector512.Create(x[kk + 1]), Vector512.Load(w + 16), s1);
            s2 = Avx512F.FusedMultiplyAdd(Vector512.Create(x[kk + 2]), Vector512.Load(w + 32), s2);
            s3 = Avx512F.FusedMultiplyAdd(Vector512.Create(x[kk + 3]), Vector512.Load(w + 48), s3);
            s4 = Avx512F.FusedMultiplyAdd(Vector512.Create(x[kk + 4]), Vector512.Load(w + 64), s4);
            s5 = Avx512F.FusedMultiplyAdd(Vector512.Create(x[kk + 5]), Vector512.Load(w + 80), s5);
            s6 = Avx512F.FusedMultiplyAdd(Vector512.Create(x[kk + 6]), Vector512.Load(w + 96), s6);
            s7 = Avx512F.FusedMultiplyAdd(Vector512.Create(x[kk + 7]), Vector512.Load(w + 112), s7);
        }

        if (kv < k)
        {
            // DotRow's masked step: the tail's inputs go to the first partial sums, the rest take 0·0 (which turns -0 into +0).
            int rest = k - kv;
            s0 = Avx512F.FusedMultiplyAdd(Vector512.Create(x[kv]), Vector512.Load(w), s0);
            s1 = Avx512F.FusedMultiplyAdd(TailInput512(x, kv, rest, 1), TailWeight512(w, rest, 1), s1);
            s2 = Avx512F.FusedMultiplyAdd(TailInput512(x, kv, rest, 2), TailWeight512(w, rest, 2), s2);
            s3 = Avx512F.FusedMultiplyAdd(TailInput512(x, kv, rest, 3), TailWeight512(w, rest, 3), s3);
            s4 = Avx512F.FusedMultiplyAdd(TailInput512(x, kv, rest, 4), TailWeight512(w, rest, 4), s4);
            s5 = Avx512F.FusedMultiplyAdd(TailInput512(x, kv, rest, 5), TailWeight512(w, rest, 5), s5);
            s6 = Avx512F.FusedMultiplyAdd(TailInput512(x, kv, rest, 6), TailWeight512(w, rest, 6), s6);
            s7 = Avx512F.FusedMultiplyAdd(TailInput512(x, kv, rest, 7), TailWeight512(w, rest, 7), s7);
        }

        var sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        if (accumulate)
        {
            sum += Vector512.Load(y);
        }

        sum.Store(y);
    }

    /// <summary>Eight outputs of a panel (rows 16 floats apart) in 256-bit lanes, the same partial sums as <see cref="DotPanel512"/>.</summary>
    private static void DotPanel256(float* x, float* panel, float* y, int k, bool accumulate)
    {
        int kv = k & ~(Partials - 1);
        var s0 = Vector256<float>.Zero;
        var s1 = Vector256<float>.Zero;
        var s2 = Vector256<float>.Zero;
        var s3 = Vector256<float>.Zero;
        var s4 = Vector256<float>.Zero;
        var s5 = Vector256<float>.Zero;
        var s6 = Vector256<float>.Zero;
        var s7 = Vector256<float>.Zero;
        float* w = panel;
        for (int kk = 0; kk < kv; kk += Partials, w += Partials * DotPanelWidth)
        {
            s0 = Fmadd(Vector256.Create(x[kk]), Vector256.Load(w), s0);
            s1 = Fmadd(Vector256.Create(x[kk + 1]), Vector256.Load(w + 16), s1);
            s2 = Fmadd(Vector256.Create(x[kk + 2]), Vector256.Load(w + 32), s2);
            s3 = Fmadd(Vector256.Create(x[kk + 3]), Vector256.Load(w + 48), s3);
            s4 = Fmadd(Vector256.Create(x[kk + 4]), Vector256.Load(w + 64), s4);
            s5 = Fmadd(Vector256.Create(x[kk + 5]), Vector256.Load(w + 80), s5);
            s6 = Fmadd(Vector256.Create(x[kk + 6]), Vector256.Load(w + 96), s6);
            s7 = Fmadd(Vector256.Create(x[kk + 7]), Vector256.Load(w + 112), s7);
        }

        if (kv < k)
        {
            int rest = k - kv;
            s0 = Fmadd(Vector256.Create(x[kv]), Vector256.Load(w), s0);
            s1 = Fmadd(TailInput256(x, kv, rest, 1), TailWeight256(w, rest, 1), s1);
            s2 = Fmadd(TailInput256(x, kv, rest, 2), TailWeight256(w, rest, 2), s2);
            s3 = Fmadd(TailInput256(x, kv, rest, 3), TailWeight256(w, rest, 3), s3);
            s4 = Fmadd(TailInput256(x, kv, rest, 4), TailWeight256(w, rest, 4), s4);
            s5 = Fmadd(TailInput256(x, kv, rest, 5), TailWeight256(w, rest, 5), s5);
            s6 = Fmadd(TailInput256(x, kv, rest, 6), TailWeight256(w, rest, 6), s6);
            s7 = Fmadd(TailInput256(x, kv, rest, 7), TailWeight256(w, rest, 7), s7);
        }

        var sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        if (accumulate)
        {
            sum += Vector256.Load(y);
        }

        sum.Store(y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> TailInput512(float* x, int kv, int rest, int l) => l < rest ? Vector512.Create(x[kv + l]) : Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> TailWeight512(float* w, int rest, int l) => l < rest ? Vector512.Load(w + (l * DotPanelWidth)) : Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> TailInput256(float* x, int kv, int rest, int l) => l < rest ? Vector256.Create(x[kv + l]) : Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> TailWeight256(float* w, int rest, int l) => l < rest ? Vector256.Load(w + (l * DotPanelWidth)) : Vector256<float>.Zero;
}
