using System.Numerics.Tensors;
using PipeRL.Tensors.Kernels;
using PipeRL.Tensors.Tests.Support;
using PipeRL.Tests;

namespace PipeRL.Tensors.Tests.Kernels;

public sealed class GemmTests
{
    public static TheoryData<int, int, int> Sizes => new()
    {
        { 1, 1, 1 }, { 1, 6, 17 }, { 1, 256, 17 }, { 1, 13, 9 }, { 2, 37, 33 }, { 3, 8, 8 }, { 4, 40, 7 },
        { 5, 17, 3 }, { 6, 16, 16 }, { 7, 33, 19 }, { 13, 31, 29 }, { 64, 6, 256 }, { 65, 50, 70 }, { 100, 16, 90 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MatchesNaiveForAllTransposes(int m, int n, int k)
    {
        foreach (var (transA, transB, accumulate, a, b, c) in Operands(m, n, k, (ulong)((m * 1000) + (n * 10) + k)))
        {
            var expected = Reference.MatMul(GradCheck.ToDouble(a), transA, GradCheck.ToDouble(b), transB, m, n, k);
            if (accumulate)
            {
                for (int i = 0; i < expected.Length; i++)
                {
                    expected[i] += c[i];
                }
            }

            Gemm.Multiply(a, transA, b, transB, c, m, n, k, accumulate);

            // float accumulation over k terms of size <= 1: error well below 1e-5 relative.
            double error = GradCheck.RelativeError(c, expected);
            Assert.True(error < 1e-5, $"m={m} n={n} k={k} transA={transA} transB={transB} acc={accumulate}: {error:E2}");
        }
    }

    /// <summary>Random A, B and C of an [m,k]·[k,n] product for every transpose and accumulate setting.</summary>
    private static IEnumerable<(bool TransA, bool TransB, bool Accumulate, float[] A, float[] B, float[] C)> Operands(int m, int n, int k, ulong seed)
    {
        var rng = new SeededRandom(seed);
        foreach (bool transA in new[] { false, true })
        {
            foreach (bool transB in new[] { false, true })
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    var a = new float[m * k];
                    var b = new float[k * n];
                    var c = new float[m * n];
                    rng.FillUniform(a, -1, 1);
                    rng.FillUniform(b, -1, 1);
                    rng.FillUniform(c, -1, 1);
                    yield return (transA, transB, accumulate, a, b, c);
                }
            }
        }
    }

    [Fact]
    public unsafe void ScalarFallbackMatchesNaive()
    {
        var rng = new SeededRandom(3);
        var a = new float[7 * 5];
        var b = new float[5 * 9];
        var c = new float[7 * 9];
        rng.FillUniform(a, -1, 1);
        rng.FillUniform(b, -1, 1);
        fixed (float* pa = a, pb = b, pc = c)
        {
            Gemm.MultiplyScalar(pa, true, pb, true, pc, 7, 9, 5, false);
        }

        var expected = Reference.MatMul(GradCheck.ToDouble(a), true, GradCheck.ToDouble(b), true, 7, 9, 5);
        Assert.True(GradCheck.RelativeError(c, expected) < 1e-6);
    }

    [Fact]
    public void TwoThreadsGiveTheSameResultAsOne()
    {
        using var pool = new WorkerPool(2);
        var rng = new SeededRandom(11);
        int m = 256, n = 256, k = 256;
        var a = new float[m * k];
        var b = new float[k * n];
        rng.FillUniform(a, -1, 1);
        rng.FillUniform(b, -1, 1);
        var one = new float[m * n];
        var two = new float[m * n];
        Gemm.Multiply(a, false, b, true, one, m, n, k, false);
        Gemm.Multiply(a, false, b, true, two, m, n, k, false, pool);
        Assert.Equal(one, two);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void SplitProductsPackEachNewBOnEveryThread(bool transA, bool transB)
    {
        // Each thread packs B itself before its first chunk of a split product; a thread that kept the last product's
        // copy (same shape, other values) would give other bits.
        using var pool = new WorkerPool(2);
        var rng = new SeededRandom(12);
        int m = 96, n = 80, k = 64;
        var a = new float[m * k];
        var b = new float[k * n];
        for (var product = 0; product < 30; product++)
        {
            rng.FillUniform(a, -1, 1);
            rng.FillUniform(b, -1, 1);
            var one = new float[m * n];
            var two = new float[m * n];
            rng.FillUniform(one, -1, 1);
            one.CopyTo(two, 0);
            Gemm.Multiply(a, transA, b, transB, one, m, n, k, accumulate: product % 2 == 1);
            Gemm.Multiply(a, transA, b, transB, two, m, n, k, accumulate: product % 2 == 1, pool);
            Assert.Equal(one, two);
        }
    }

    [SkippableTheory]
    [InlineData(5, 16, 90)] // one short tile
    [InlineData(12, 16, 36)] // one pair of 16-wide tiles
    [InlineData(13, 16, 9)] // a pair and a one-row tile
    [InlineData(25, 5, 90)] // ragged panel and pairs
    [InlineData(100, 16, 90)] // the batch-1 conv of a 10x10 image
    [InlineData(30, 48, 17)] // 32-wide panels and a 16-wide one
    public void EachPackedElementIsOneFusedChainOverK(int m, int n, int k)
    {
        Skip.IfNot(System.Runtime.Intrinsics.X86.Fma.IsSupported, "The packed tiles fuse multiply-adds only where the CPU has FMA.");
        var rng = new SeededRandom((ulong)((m * 1000) + n + k));
        var a = new float[m * k];
        var b = new float[n * k];
        rng.FillUniform(a, -1, 1);
        rng.FillUniform(b, -1, 1);
        using var pool = new WorkerPool(2);
        foreach (bool accumulate in new[] { false, true })
        {
            foreach (bool relu in new[] { false, true })
            {
                var start = new float[m * n];
                rng.FillUniform(start, -1, 1);
                var expected = new float[m * n];
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        float chain = 0f;
                        for (int kk = 0; kk < k; kk++)
                        {
                            chain = MathF.FusedMultiplyAdd(a[(i * k) + kk], b[(j * k) + kk], chain);
                        }

                        float v = accumulate ? chain + start[(i * n) + j] : chain;
                        expected[(i * n) + j] = relu ? MathF.Max(v, 0f) : v;
                    }
                }

                foreach (var workers in new[] { null, pool })
                {
                    var c = (float[])start.Clone();
                    Gemm.Multiply(a, false, b, true, c, m, n, k, accumulate, workers, relu);
                    Assert.Equal(expected, c);
                }
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WidePanelsGiveTheBitsOfSixteenColumnPanels(bool transB)
    {
        // n > 16 may run 32-wide panels (AVX-512); each 16-column slice of B alone runs 16-wide: same fused chain per element.
        const int m = 23;
        const int n = 48;
        const int k = 70;
        var rng = new SeededRandom(77);
        var a = new float[m * k];
        var b = new float[k * n];
        rng.FillUniform(a, -1, 1);
        rng.FillUniform(b, -1, 1);
        var whole = new float[m * n];
        Gemm.Multiply(a, false, b, transB, whole, m, n, k, accumulate: false);
        for (var j0 = 0; j0 < n; j0 += 16)
        {
            var slice = new float[k * 16];
            for (var kk = 0; kk < k; kk++)
            {
                for (var j = 0; j < 16; j++)
                {
                    slice[transB ? (j * k) + kk : (kk * 16) + j] = transB ? b[((j0 + j) * k) + kk] : b[(kk * n) + j0 + j];
                }
            }

            var part = new float[m * 16];
            Gemm.Multiply(a, false, slice, transB, part, m, 16, k, accumulate: false);
            for (var i = 0; i < m; i++)
            {
                Assert.Equal(part.AsSpan(i * 16, 16).ToArray(), whole.AsSpan((i * n) + j0, 16).ToArray());
            }
        }
    }

    [Theory]
    [InlineData(3, 37, 33)] // dot-product and row-update paths
    [InlineData(65, 50, 70)] // packed tiles (32 wide with AVX-512) with ragged edges
    [InlineData(65, 16, 70)] // packed 16-wide tiles
    [InlineData(7, 5, 0)] // empty inner dimension
    public void ReluOnStoreEqualsAProductThenMax(int m, int n, int k)
    {
        var rng = new SeededRandom(9);
        var a = new float[m * k];
        var b = new float[k * n];
        var c0 = new float[m * n];
        rng.FillUniform(a, -1, 1);
        rng.FillUniform(b, -1, 1);
        rng.FillUniform(c0, -1, 1);
        foreach (bool transB in new[] { false, true })
        {
            foreach (bool accumulate in new[] { false, true })
            {
                var expected = (float[])c0.Clone();
                Gemm.Multiply(a, false, b, transB, expected, m, n, k, accumulate);
                TensorPrimitives.Max(expected, 0f, expected);
                var actual = (float[])c0.Clone();
                Gemm.Multiply(a, false, b, transB, actual, m, n, k, accumulate, relu: true);
                Bits.AssertEqual(expected, actual, $"transB={transB}, accumulate={accumulate}");
            }
        }
    }

    [Theory]
    [InlineData(5, 7, 3)] // one partial tile, one partial 16-wide panel
    [InlineData(100, 32, 288)] // a batch-1 conv: 32 wide on 512-bit vectors
    [InlineData(13, 65, 70)] // ragged rows and columns
    [InlineData(50, 64, 576)]
    public void APrepackedOperandGivesTheBitsOfMultiply(int m, int n, int k)
    {
        foreach (var (transA, transB, accumulate, a, b, c0) in Operands(m, n, k, (ulong)((m * 1000) + n + k)))
        {
            var expected = (float[])c0.Clone();
            Gemm.Multiply(a, transA, b, transB, expected, m, n, k, accumulate, relu: accumulate);
            var packed = new float[Gemm.PackedLength(n, k)];
            Gemm.PackB(b, transB, n, k, packed);
            var actual = (float[])c0.Clone();
            Gemm.MultiplyPacked(a, transA, packed, actual, m, n, k, accumulate, relu: accumulate);
            Bits.AssertEqual(expected, actual, $"transA={transA}, transB={transB}, accumulate={accumulate}");
        }
    }

    [Theory]
    [InlineData(5, 7, 3, 4)] // one partial tile, one partial 16-wide panel
    [InlineData(100, 32, 3, 96)] // a batch-1 3x3 conv of 32 channels: 32 wide on 512-bit vectors
    [InlineData(13, 16, 3, 12)] // 16-wide panels
    [InlineData(13, 65, 2, 35)] // ragged rows and columns
    public void RowsReadInRunsGiveTheBitsOfTheAssembledProduct(int m, int n, int runs, int runLength)
    {
        int k = runs * runLength;
        int runStride = runLength + 5;
        int reach = ((runs - 1) * runStride) + runLength;
        var rng = new SeededRandom((ulong)((m * 1000) + n));
        var source = new float[reach + (3 * m)];
        rng.FillUniform(source, -1, 1);
        var rowStarts = Enumerable.Range(0, m).Select(_ => (int)(rng.NextDouble() * (source.Length - reach + 1))).ToArray();
        var a = new float[m * k];
        for (int i = 0; i < m; i++)
        {
            for (int r = 0; r < runs; r++)
            {
                source.AsSpan(rowStarts[i] + (r * runStride), runLength).CopyTo(a.AsSpan((i * k) + (r * runLength)));
            }
        }

        var b = new float[n * k];
        rng.FillUniform(b, -1, 1);
        var packed = new float[Gemm.PackedLength(n, k)];
        Gemm.PackB(b, true, n, k, packed);
        var c0 = new float[m * n];
        rng.FillUniform(c0, -1, 1);
        foreach (var accumulate in new[] { false, true })
        {
            var expected = (float[])c0.Clone();
            Gemm.MultiplyPacked(a, false, packed, expected, m, n, k, accumulate, relu: accumulate);
            var actual = (float[])c0.Clone();
            Gemm.MultiplyPackedRows(source, rowStarts, runs, runStride, runLength, packed, actual, n, accumulate, relu: accumulate);
            Bits.AssertEqual(expected, actual, $"accumulate={accumulate}");
        }
    }

    [Fact]
    public void AThreadPreparedForAProductRunsItWithoutAllocating()
    {
        // The caller of a split conv prepares its thread for any chunk it may take over from a late worker: the product of a
        // chunk it had never run then allocates nothing (it grew the thread's packing buffer in a warm tick, 295 KB for a
        // 64x1152 weight, the first time the caller ran such a chunk).
        // Each try prepares for a longer product than any before, so an unprepared thread would grow its buffer every time;
        // a try that counts nothing passes (the counter moves by a few KB now and then with nothing allocated: see
        // Allocation.InSteadyLoop; one clean-clone run read 8,112 bytes here).
        long unprepared = 0;
        var prepared = new List<long>();
        var thread = new Thread(() =>
        {
            var (a, b, c) = (new float[36 * 1152], new float[64 * 1152], new float[36 * 64]);
            var before = GC.GetAllocatedBytesForCurrentThread();
            Gemm.Multiply(a, false, b, true, c, 36, 64, 1152, false);
            unprepared = GC.GetAllocatedBytesForCurrentThread() - before;
            for (var k = 2304; k <= 4 * 2304 && !prepared.Contains(0); k += 2304)
            {
                var (a2, b2, c2) = (new float[36 * k], new float[64 * k], new float[36 * 64]);
                Gemm.PrepareThread(64, k);
                before = GC.GetAllocatedBytesForCurrentThread();
                Gemm.Multiply(a2, false, b2, true, c2, 36, 64, k, false);
                prepared.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            }
        });
        thread.Start();
        thread.Join();

        Assert.InRange(unprepared, 64 * 1152 * sizeof(float), long.MaxValue);
        Assert.Contains(0L, prepared);
    }

    [Fact]
    public void AFewLongTransposedRowsAllocateOnlyTheFirstTime()
    {
        // Rows of a transposed A longer than the stack copy are gathered in the thread's packing buffer, not a new array per call.
        const int m = 2, n = 8, k = 5000;
        var rng = new SeededRandom(4);
        var (a, b, c) = (new float[k * m], new float[n * k], new float[m * n]);
        rng.FillUniform(a, -1, 1);
        rng.FillUniform(b, -1, 1);
        long again = -1;
        var thread = new Thread(() =>
        {
            Gemm.Multiply(a, true, b, true, c, m, n, k, false);
            again = Allocation.InSteadyLoop(() => Gemm.Multiply(a, true, b, true, c, m, n, k, false));
        });
        thread.Start();
        thread.Join();

        Assert.Equal(0, again);
        var expected = Reference.MatMul(GradCheck.ToDouble(a), true, GradCheck.ToDouble(b), true, m, n, k);
        Assert.True(GradCheck.RelativeError(c, expected) < 1e-5);
    }

    [Fact]
    public void ARowRunningPastTheSourceIsRefused()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MultiplyPackedRows(new float[50], [0, 30], 2, 20, 10, new float[Gemm.PackedLength(4, 20)], new float[8], 4, false));
        Assert.Contains("from 30 spans 30 floats, outside the 50-float source", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooShortOperandIsRefusedWithSizes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[5], false, new float[6], false, new float[6], 2, 3, 3, false));
        Assert.Contains("[2x3]", ex.Message, StringComparison.Ordinal);
    }
}
