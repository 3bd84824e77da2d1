using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace PipeRL.Tensors.Kernels;

/// <summary>
/// 2-D convolution on NHWC images as im2col + <see cref="Gemm"/>, a few images at a time so the patch matrix stays in
/// cache. Weights are [C_out, KH, KW, C_in]; any stride and zero padding.
/// </summary>
public static class Conv2dKernel
{
    private const int ChunkFloats = 48 * 1024;

    /// <summary>Most parts a backward batch is cut into (each sums its own dW; more parts balance threads better).</summary>
    private const int BackwardParts = 8;

    [ThreadStatic]
    private static float[]? t_col;

    [ThreadStatic]
    private static float[]? t_grad;

    [ThreadStatic]
    private static ConvWork? t_work;

    /// <summary>Images per chunk so that one chunk's patch matrix has about 48 K floats.</summary>
    public static int ChunkImages(in ConvGeometry g, int batch) => Math.Clamp(ChunkFloats / Math.Max(1, g.OutPixels * g.PatchLength), 1, Math.Max(1, batch));

    /// <summary>Scratch floats needed by <see cref="Forward"/> on one thread for this batch.</summary>
    public static int ScratchLength(in ConvGeometry g, int batch) => ChunkImages(g, batch) * g.OutPixels * g.PatchLength;

    /// <summary>
    /// y[N, OH, OW, C_out] = conv(x[N, H, W, C_in], w) + b, using <paramref name="scratch"/> (≥ <see cref="ScratchLength"/>);
    /// with <paramref name="relu"/>, max(y, 0) is stored instead, applied to each output tile as it is computed.
    /// </summary>
    /// <remarks>With several <paramref name="workers"/>, whole image chunks go to the threads (each with its own patch buffer).</remarks>
    public static unsafe void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y,
        int batch, in ConvGeometry g, Span<float> scratch, WorkerPool? workers = null, bool relu = false)
    {
        int chunk = ChunkImages(g, batch);
        int chunks = (batch + chunk - 1) / chunk;
        if (workers is { ThreadCount: > 1 } && chunks > 1)
        {
            fixed (float* px = x, pw = w, pb = b, py = y)
            {
                var work = t_work ??= new ConvWork();
                work.SetForward(px, pw, b.IsEmpty ? null : pb, py, batch, chunk, relu, g);
                SizeCallersBuffers(chunk, g, backward: false, relu: false);
                workers.Run(work, chunks);
                work.Clear();
            }

            return;
        }

        int inImage = g.Height * g.Width * g.InChannels;
        int outImage = g.OutPixels * g.OutChannels;
        for (int n0 = 0; n0 < batch; n0 += chunk)
        {
            int count = Math.Min(chunk, batch - n0);
            ForwardChunk(x.Slice(n0 * inImage, count * inImage), w, b, y.Slice(n0 * outImage, count * outImage), count, g, scratch[..(count * g.OutPixels * g.PatchLength)], relu);
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward"/>: dW += dyᵀ·col, db += Σ dy, and (when <paramref name="dx"/> is not empty) dx += col2im(dy·W).
    /// When <paramref name="reluOutput"/> (the output of a forward pass with ReLU) is given, dy counts only where it is &gt; 0.
    /// </summary>
    /// <remarks>
    /// The batch is cut into a number of parts that depends on the batch only; each part sums its own dW and db and the
    /// parts are added in order, so the result is the same bit for bit on any number of <paramref name="workers"/>.
    /// <paramref name="dy"/> is only read: the ReLU mask goes to a per-thread copy of one chunk at a time.
    /// </remarks>
    public static unsafe void Backward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy, Span<float> dw, Span<float> db, Span<float> dx,
        int batch, in ConvGeometry g, WorkerPool? workers = null, ReadOnlySpan<float> reluOutput = default)
    {
        int chunk = ChunkImages(g, batch);
        int chunks = (batch + chunk - 1) / chunk;
        int parts = Math.Min(BackwardParts, chunks);
        int k = g.PatchLength;
        int partLength = (k * g.OutChannels) + g.OutChannels;
        var work = t_work ??= new ConvWork();
        var partials = work.Partials(parts * partLength);
        if (!reluOutput.IsEmpty && reluOutput.Length < dy.Length)
        {
            throw new ArgumentException($"Conv2d backward: the ReLU output has {reluOutput.Length} values, the gradient {dy.Length}.", nameof(reluOutput));
        }

        fixed (float* px = x, pw = w, pdy = dy, pdx = dx, pp = partials, pr = reluOutput)
        {
            work.SetBackward(px, pw, pdy, dx.IsEmpty ? null : pdx, pp, reluOutput.IsEmpty ? null : pr, batch, chunk, chunks, g);
            if (workers is { ThreadCount: > 1 } && parts > 1)
            {
                SizeCallersBuffers(chunk, g, backward: true, relu: !reluOutput.IsEmpty);
                workers.Run(work, parts);
            }
            else
            {
                for (int p = 0; p < parts; p++)
                {
                    work.Execute(p, parts);
                }
            }

            work.Clear();
        }

        // dW[o, j] += Σ_p dWᵀ_p[j, o], parts in order.
        for (int o = 0; o < g.OutChannels; o++)
        {
            var row = dw.Slice(o * k, k);
            for (int j = 0; j < k; j++)
            {
                float sum = partials[(j * g.OutChannels) + o];
                for (int p = 1; p < parts; p++)
                {
                    sum += partials[(p * partLength) + (j * g.OutChannels) + o];
                }

                row[j] += sum;
            }
        }

        if (!db.IsEmpty)
        {
            for (int p = 0; p < parts; p++)
            {
                TensorPrimitives.Add(db, partials.AsSpan((p * partLength) + (k * g.OutChannels), g.OutChannels), db);
            }
        }
    }

    /// <summary>The forward pass of <paramref name="count"/> images with the patch matrix in <paramref name="col"/>.</summary>
    private static void ForwardChunk(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y, int count, in ConvGeometry g, Span<float> col, bool relu)
    {
        int pixels = count * g.OutPixels;
        Im2Col(x, col, count, g);
        bool hasBias = !b.IsEmpty;
        if (hasBias)
        {
            FillWithBias(y, b, pixels, g.OutChannels);
        }

        Gemm.Multiply(col, false, w, true, y, pixels, g.OutChannels, g.PatchLength, hasBias, relu: relu);
    }

    /// <summary>
    /// Backward of <paramref name="count"/> images: dWᵀ and db added to <paramref name="dwT"/> and <paramref name="db"/>, dx (if any)
    /// to its images; with a non-empty <paramref name="relu"/> (this chunk's forward output), gc is first masked where it is ≤ 0.
    /// </summary>
    private static void BackwardChunk(
        ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> gc, ReadOnlySpan<float> relu, Span<float> dwT, Span<float> db, Span<float> dx,
        int count, in ConvGeometry g, Span<float> col)
    {
        int pixels = count * g.OutPixels;
        int k = g.PatchLength;
        if (!relu.IsEmpty)
        {
            var masked = ThreadBuffer(ref t_grad, gc.Length).AsSpan(0, gc.Length);
            Tape.ReluMask(gc, relu, masked);
            gc = masked;
        }

        Im2Col(x, col, count, g);

        // dWᵀ = colᵀ·dy has K rows and C_out columns: whole 6×16 register tiles even when C_out is 16.
        Gemm.Multiply(col, true, gc, false, dwT, k, g.OutChannels, pixels, true);
        for (int p = 0; p < pixels; p++)
        {
            TensorPrimitives.Add(db, gc.Slice(p * g.OutChannels, g.OutChannels), db);
        }

        if (!dx.IsEmpty)
        {
            Gemm.Multiply(gc, false, w, false, col, pixels, k, g.OutChannels, false);
            Col2ImAdd(col, dx, count, g);
        }
    }

    /// <summary>
    /// Grows the calling thread's patch (and masked-gradient) buffers and the product's packing buffer to what any chunk of
    /// <paramref name="chunk"/> images needs, forward or <paramref name="backward"/>, before a split: which chunks the caller
    /// runs depends on when the workers start (a busy machine can leave the workers all of them for a while, then the caller
    /// some), and a buffer that grew in a later call would allocate in a warm loop.
    /// </summary>
    private static void SizeCallersBuffers(int chunk, in ConvGeometry g, bool backward, bool relu)
    {
        int pixels = chunk * g.OutPixels;
        ThreadBuffer(ref t_col, pixels * g.PatchLength);
        if (!backward)
        {
            Gemm.PrepareThread(g.OutChannels, g.PatchLength);
            return;
        }

        if (relu)
        {
            ThreadBuffer(ref t_grad, pixels * g.OutChannels);
        }

        Gemm.PrepareThread(g.OutChannels, pixels);
        Gemm.PrepareThread(g.PatchLength, g.OutChannels);
    }

    /// <summary>This thread's buffer in <paramref name="slot"/> (a thread-static field), grown to at least <paramref name="length"/> floats.</summary>
    private static float[] ThreadBuffer(ref float[]? slot, int length)
    {
        var buffer = slot;
        if (buffer is null || buffer.Length < length)
        {
            buffer = new float[length];
            slot = buffer;
        }

        return buffer;
    }

    /// <summary>Sets each of the first <paramref name="pixels"/> rows of <paramref name="y"/> to the bias, which the product then adds to.</summary>
    private static void FillWithBias(Span<float> y, ReadOnlySpan<float> bias, int pixels, int channels)
    {
        for (int p = 0; p < pixels; p++)
        {
            bias[..channels].CopyTo(y.Slice(p * channels, channels));
        }
    }

    /// <summary>The floats of the zero-padded image that <see cref="ForwardPixels"/> reads its patches from.</summary>
    public static int PaddedLength(in ConvGeometry g) => (g.Height + (2 * g.Padding)) * (g.Width + (2 * g.Padding)) * g.InChannels;

    /// <summary>
    /// Output pixels [<paramref name="fromPixel"/>, <paramref name="toPixel"/>) of one image's convolution, into their rows of
    /// <paramref name="y"/> [OH·OW, C_out], by the weight packed with <see cref="Gemm.PackB"/> (transposed): the input rows those
    /// pixels read are copied with their zero padding to their place in <paramref name="padded"/> (<see cref="PaddedLength"/>
    /// floats), and each patch is read there in place, KH runs of KW·C_in floats, instead of from a patch matrix.
    /// <paramref name="rowStarts"/> takes one offset per pixel. The sums are <see cref="Forward"/>'s, bit for bit.
    /// </summary>
    public static void ForwardPixels(
        ReadOnlySpan<float> x, ReadOnlySpan<float> packedWeight, ReadOnlySpan<float> bias, Span<float> y, in ConvGeometry g,
        int fromPixel, int toPixel, Span<float> padded, Span<int> rowStarts, bool relu = false)
    {
        int pixels = toPixel - fromPixel;
        int c = g.InChannels;
        int paddedWidth = g.Width + (2 * g.Padding);
        int rowLength = paddedWidth * c;
        if (fromPixel < 0 || toPixel > g.OutPixels || pixels <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fromPixel), $"ForwardPixels: pixels [{fromPixel}, {toPixel}) are not a non-empty range of the {g.OutPixels} output pixels.");
        }

        if (x.Length < g.Height * g.Width * c || y.Length < g.OutPixels * g.OutChannels || padded.Length < PaddedLength(g) || rowStarts.Length < pixels
            || !(bias.IsEmpty || bias.Length >= g.OutChannels))
        {
            throw new ArgumentException(
                $"ForwardPixels: needs {g.Height * g.Width * c} inputs, {g.OutPixels * g.OutChannels} outputs, {PaddedLength(g)} padded floats, {pixels} row starts and no bias or {g.OutChannels}; got {x.Length}, {y.Length}, {padded.Length}, {rowStarts.Length} and {bias.Length}.",
                nameof(x));
        }

        // The padded rows that the first and the last pixel's patches reach.
        int firstRow = fromPixel / g.OutWidth * g.Stride;
        int lastRow = ((toPixel - 1) / g.OutWidth * g.Stride) + g.KernelH - 1;
        for (int r = firstRow; r <= lastRow; r++)
        {
            var row = padded.Slice(r * rowLength, rowLength);
            int ih = r - g.Padding;
            if ((uint)ih >= (uint)g.Height)
            {
                row.Clear();
                continue;
            }

            row[..(g.Padding * c)].Clear();
            x.Slice(ih * g.Width * c, g.Width * c).CopyTo(row[(g.Padding * c)..]);
            row[((g.Padding + g.Width) * c)..].Clear();
        }

        for (int i = 0; i < pixels; i++)
        {
            int p = fromPixel + i;
            rowStarts[i] = ((p / g.OutWidth * g.Stride * paddedWidth) + (p % g.OutWidth * g.Stride)) * c;
        }

        var outputs = y.Slice(fromPixel * g.OutChannels, pixels * g.OutChannels);
        if (!bias.IsEmpty)
        {
            FillWithBias(outputs, bias, pixels, g.OutChannels);
        }

        Gemm.MultiplyPackedRows(padded, rowStarts[..pixels], g.KernelH, rowLength, g.KernelW * c, packedWeight, outputs, g.OutChannels, accumulate: !bias.IsEmpty, relu);
    }

    /// <summary>Patch matrix col[(n, oh, ow), (kh, kw, c)], zeros where the kernel overlaps the padding.</summary>
    public static unsafe void Im2Col(ReadOnlySpan<float> x, Span<float> col, int batch, in ConvGeometry g)
    {
        int c = g.InChannels;
        int k = g.PatchLength;
        int imageLength = g.Height * g.Width * c;
        if (x.Length < batch * imageLength || col.Length < batch * g.OutPixels * k)
        {
            throw new ArgumentException($"Im2Col: {batch} images need {batch * imageLength} inputs and {batch * g.OutPixels * k} patch floats, got {x.Length} and {col.Length}.", nameof(x));
        }

        fixed (float* px = x, pc = col)
        {
            float* dst = pc;
            for (int n = 0; n < batch; n++)
            {
                float* image = px + (n * imageLength);
                for (int p = 0; p < g.OutPixels; p++, dst += k)
                {
                    PatchRow(image, dst, p / g.OutWidth, p % g.OutWidth, g);
                }
            }
        }
    }

    /// <summary>The patch of output pixel (<paramref name="oh"/>, <paramref name="ow"/>) of <paramref name="image"/>, (kh, kw, c) order.</summary>
    private static unsafe void PatchRow(float* image, float* dst, int oh, int ow, in ConvGeometry g)
    {
        int c = g.InChannels;
        int d = 0;
        int iw0 = (ow * g.Stride) - g.Padding;
        bool colsInside = iw0 >= 0 && iw0 + g.KernelW <= g.Width;
        for (int kh = 0; kh < g.KernelH; kh++)
        {
            int ih = (oh * g.Stride) - g.Padding + kh;
            bool rowInside = (uint)ih < (uint)g.Height;
            if (rowInside && colsInside)
            {
                // Whole kernel row inside: KW·C contiguous floats.
                Copy(image + (((ih * g.Width) + iw0) * c), dst + d, g.KernelW * c);
                d += g.KernelW * c;
                continue;
            }

            for (int kw = 0; kw < g.KernelW; kw++, d += c)
            {
                int iw = iw0 + kw;
                if (rowInside && (uint)iw < (uint)g.Width)
                {
                    Copy(image + (((ih * g.Width) + iw) * c), dst + d, c);
                }
                else
                {
                    new Span<float>(dst + d, c).Clear();
                }
            }
        }
    }

    /// <summary>Copies <paramref name="length"/> floats with 8-wide moves (the last one overlapping) when there are at least 8.</summary>
    private static unsafe void Copy(float* src, float* dst, int length)
    {
        if (length < 8 || !Vector256.IsHardwareAccelerated)
        {
            for (int i = 0; i < length; i++)
            {
                dst[i] = src[i];
            }

            return;
        }

        int j = 0;
        for (; j + 8 <= length; j += 8)
        {
            Vector256.Load(src + j).Store(dst + j);
        }

        if (j < length)
        {
            Vector256.Load(src + length - 8).Store(dst + length - 8);
        }
    }

    /// <summary>Adds each patch-matrix entry back to the input pixel it came from (the adjoint of <see cref="Im2Col"/>).</summary>
    public static void Col2ImAdd(ReadOnlySpan<float> col, Span<float> dx, int batch, in ConvGeometry g)
    {
        int c = g.InChannels;
        int k = g.PatchLength;
        int row = 0;
        for (int n = 0; n < batch; n++)
        {
            var image = dx.Slice(n * g.Height * g.Width * c, g.Height * g.Width * c);
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                for (int ow = 0; ow < g.OutWidth; ow++, row++)
                {
                    var src = col.Slice(row * k, k);
                    int d = 0;
                    int iw0 = (ow * g.Stride) - g.Padding;
                    bool colsInside = iw0 >= 0 && iw0 + g.KernelW <= g.Width;
                    for (int kh = 0; kh < g.KernelH; kh++)
                    {
                        int ih = (oh * g.Stride) - g.Padding + kh;
                        bool rowInside = (uint)ih < (uint)g.Height;
                        if (rowInside && colsInside)
                        {
                            // Whole kernel row inside: KW·C contiguous floats.
                            var dst = image.Slice(((ih * g.Width) + iw0) * c, g.KernelW * c);
                            TensorPrimitives.Add(dst, src.Slice(d, g.KernelW * c), dst);
                            d += g.KernelW * c;
                            continue;
                        }

                        for (int kw = 0; kw < g.KernelW; kw++, d += c)
                        {
                            int iw = iw0 + kw;
                            if (rowInside && (uint)iw < (uint)g.Width)
                            {
                                var dst = image.Slice(((ih * g.Width) + iw) * c, c);
                                TensorPrimitives.Add(dst, src.Slice(d, c), dst);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// One convolution pass split for a <see cref="WorkerPool"/>: forward, one image chunk per piece; backward, one
    /// part of the batch per piece with its own dWᵀ and db. Pointers stay pinned by the caller while it runs.
    /// </summary>
    private sealed unsafe class ConvWork : IParallelWork
    {
        private float[] _partials = [];
        private float* _x;
        private float* _w;
        private float* _b;
        private float* _y;
        private float* _dy;
        private float* _dx;
        private float* _relu;
        private float* _parts;
        private int _batch;
        private int _chunk;
        private int _chunks;
        private bool _backward;
        private bool _reluForward;
        private ConvGeometry _g;

        /// <summary>The partial-sum buffer, at least <paramref name="length"/> floats.</summary>
        public float[] Partials(int length)
        {
            if (_partials.Length < length)
            {
                _partials = new float[length];
            }

            return _partials;
        }

        public void SetForward(float* x, float* w, float* b, float* y, int batch, int chunk, bool relu, in ConvGeometry g)
        {
            _x = x;
            _w = w;
            _b = b;
            _y = y;
            _reluForward = relu;
            _batch = batch;
            _chunk = chunk;
            _g = g;
            _backward = false;
        }

        public void SetBackward(float* x, float* w, float* dy, float* dx, float* parts, float* relu, int batch, int chunk, int chunks, in ConvGeometry g)
        {
            _x = x;
            _w = w;
            _dy = dy;
            _dx = dx;
            _relu = relu;
            _parts = parts;
            _batch = batch;
            _chunk = chunk;
            _chunks = chunks;
            _g = g;
            _backward = true;
        }

        public void Clear()
        {
            _x = _w = _b = _y = _dy = _dx = _relu = _parts = null;
        }

        public void Execute(int chunk, int chunkCount)
        {
            var g = _g;
            int inImage = g.Height * g.Width * g.InChannels;
            int outImage = g.OutPixels * g.OutChannels;
            int k = g.PatchLength;
            var col = ThreadBuffer(ref t_col, _chunk * g.OutPixels * k);
            if (!_backward)
            {
                int n0 = chunk * _chunk;
                int count = Math.Min(_chunk, _batch - n0);
                var b = _b is null ? default : new ReadOnlySpan<float>(_b, g.OutChannels);
                ForwardChunk(
                    new ReadOnlySpan<float>(_x + ((long)n0 * inImage), count * inImage), new ReadOnlySpan<float>(_w, k * g.OutChannels), b,
                    new Span<float>(_y + ((long)n0 * outImage), count * outImage), count, g, col.AsSpan(0, count * g.OutPixels * k), _reluForward);
                return;
            }

            int partLength = (k * g.OutChannels) + g.OutChannels;
            var dwT = new Span<float>(_parts + ((long)chunk * partLength), k * g.OutChannels);
            var db = new Span<float>(_parts + ((long)chunk * partLength) + (k * g.OutChannels), g.OutChannels);
            dwT.Clear();
            db.Clear();
            int first = (int)((long)_chunks * chunk / chunkCount);
            int last = (int)((long)_chunks * (chunk + 1) / chunkCount);
            for (int c = first; c < last; c++)
            {
                int n0 = c * _chunk;
                int count = Math.Min(_chunk, _batch - n0);
                var dx = _dx is null ? default : new Span<float>(_dx + ((long)n0 * inImage), count * inImage);
                var relu = _relu is null ? default : new ReadOnlySpan<float>(_relu + ((long)n0 * outImage), count * outImage);
                BackwardChunk(
                    new ReadOnlySpan<float>(_x + ((long)n0 * inImage), count * inImage), new ReadOnlySpan<float>(_w, k * g.OutChannels),
                    new ReadOnlySpan<float>(_dy + ((long)n0 * outImage), count * outImage), relu, dwT, db, dx, count, g, col.AsSpan(0, count * g.OutPixels * k));
            }
        }
    }
}
