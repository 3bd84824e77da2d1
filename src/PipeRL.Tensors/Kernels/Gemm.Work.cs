namespace PipeRL.Tensors.Kernels;

/// <summary>The per-thread arguments of a packed product split by rows.</summary>
public static unsafe partial class Gemm
{
    /// <summary>The arguments of one packed product, split by rows across worker threads; reused per thread.</summary>
    private sealed class GemmWork : IParallelWork
    {
        private float* _a;
        private int _rsA;
        private int _csA;
        private float* _bp;
        private float* _b;
        private bool _transB;
        private long _product;
        private float* _c;
        private int _m;
        private int _n;
        private int _k;
        private int _width;
        private bool _accumulate;
        private bool _relu;

        private int* _rowStarts;
        private int _runs;
        private int _runStride;
        private int _runLength;

        /// <summary>Sets a stored A (rows <paramref name="rsA"/> apart), or with <see cref="SetRuns"/> after it, the source of A's runs.</summary>
        public void Set(float* a, int rsA, int csA, float* bp, float* c, int m, int n, int k, int width, bool accumulate, bool relu)
        {
            _rowStarts = null;
            _b = null;
            _a = a;
            _rsA = rsA;
            _csA = csA;
            _bp = bp;
            _c = c;
            _m = m;
            _n = n;
            _k = k;
            _width = width;
            _accumulate = accumulate;
            _relu = relu;
        }

        /// <summary>
        /// Sets a product whose op(B) (<paramref name="b"/>, unpacked) each thread packs into its own buffer before its first
        /// chunk; <paramref name="product"/> numbers this product, so a thread packs once however many chunks it runs.
        /// </summary>
        public void SetPackedByEachThread(float* a, int rsA, int csA, float* b, bool transB, float* c, int m, int n, int k, int width, bool accumulate, bool relu, long product)
        {
            Set(a, rsA, csA, null, c, m, n, k, width, accumulate, relu);
            _b = b;
            _transB = transB;
            _product = product;
        }

        /// <summary>Reads row i of A as runs from _a + rowStarts[i] (see <see cref="MultiplyPackedRows"/>).</summary>
        public void SetRuns(int* rowStarts, int runs, int runStride, int runLength)
        {
            _rowStarts = rowStarts;
            _runs = runs;
            _runStride = runStride;
            _runLength = runLength;
        }

        public void Execute(int part, int partCount)
        {
            if (_b is null)
            {
                Run(part, partCount, _bp);
                return;
            }

            fixed (float* packed = PackBuffer(PackedLength(_n, _k)))
            {
                if (t_packedProduct != _product)
                {
                    PackPanels(_b, _transB, packed, _n, _k, _width);
                    t_packedProduct = _product;
                }

                Run(part, partCount, packed);
            }
        }

        /// <summary>Computes the tiles of row chunk <paramref name="part"/> of <paramref name="partCount"/> from the packed B at <paramref name="packedB"/>.</summary>
        private void Run(int part, int partCount, float* packedB)
        {
            int blocks = (_m + Mr - 1) / Mr;
            int first = (int)((long)blocks * part / partCount);
            int last = (int)((long)blocks * (part + 1) / partCount);
            int panels = (_n + _width - 1) / _width;
            for (int p = 0; p < panels; p++)
            {
                int j0 = p * _width;
                int nr = Math.Min(_width, _n - j0);
                float* bp = packedB + (p * _k * _width);
                if (_width == Nr && NarrowTilesInPairs)
                {
                    for (int blk = first; blk < last; blk += 2)
                    {
                        int i0 = blk * Mr;
                        int mr = Math.Min(Mr, _m - i0);
                        int mrNext = blk + 1 < last ? Math.Min(Mr, _m - i0 - Mr) : 0;

                        // Without a second tile the first one's rows stand in for it, computed and not stored.
                        TilePair16(Rows(i0, mr), mr, mrNext > 0 ? Rows(i0 + Mr, mrNext) : Rows(i0, mr), mrNext, bp, _c + (i0 * _n) + j0, _n, nr, _accumulate, _relu);
                    }

                    continue;
                }

                for (int blk = first; blk < last; blk++)
                {
                    int i0 = blk * Mr;
                    int mr = Math.Min(Mr, _m - i0);
                    Tile(Rows(i0, mr), mr, bp, _c + (i0 * _n) + j0, _n, nr, _width, _accumulate, _relu);
                }
            }
        }

        /// <summary>The <paramref name="mr"/> rows of A from row <paramref name="i0"/>, stored or as runs.</summary>
        private TileA Rows(int i0, int mr) => _rowStarts is null
            ? new TileA(_a + (i0 * _rsA), _rsA, mr, _csA, _k)
            : new TileA(_a, _rowStarts + i0, mr, _runs, _runStride, _runLength);
    }
}
