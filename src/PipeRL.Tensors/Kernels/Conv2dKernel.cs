using System.Runtime.Intrinsics;

namespace PipeRL.Tensors.Kernels;

/// <summary>
/// 2-D convolution on NHWC images as im2col + <see cref="Gemm"/>, a few images at a time so the patch matrix stays in
/// cache. Weights are [C_out, KH, KW, C_in]; any stride and zero padding.
/// </summary>
public static class Conv2dKernel
{
    private const int ChunkFloats = 48 * 1024;

    /// <summary>Images per chunk so that one chunk's patch matrix has about 48 K floats.</summary>
    public static int ChunkImages(in ConvGeometry g, int batch) => Math.Clamp(ChunkFloats / Math.Max(1, g.OutPixels * g.PatchLength), 1, Math.Max(1, batch));

    /// <summary>Scratch floats needed by <see cref="Forward"/> and the backward helpers for this batch.</summary>
    public static int ScratchLength(in ConvGeometry g, int batch) => (ChunkImages(g, batch) * g.OutPixels * g.PatchLength) + (g.PatchLength * g.OutChannels);

    /// <summary>y[N, OH, OW, C_out] = conv(x[N, H, W, C_in], w) + b, using <paramref name="scratch"/> (≥ <see cref="ScratchLength"/>).</summary>
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y,
        int batch, in ConvGeometry g, Span<float> scratch, WorkerPool? workers = null)
    {
        int chunk = ChunkImages(g, batch);
        int inImage = g.Height * g.Width * g.InChannels;
        int outImage = g.OutPixels * g.OutChannels;
        for (int n0 = 0; n0 < batch; n0 += chunk)
        {
            int count = Math.Min(chunk, batch - n0);
            int pixels = count * g.OutPixels;
            var col = scratch[..(pixels * g.PatchLength)];
            Im2Col(x.Slice(n0 * inImage, count * inImage), col, count, g);
            var yc = y.Slice(n0 * outImage, count * outImage);
            bool hasBias = !b.IsEmpty;
            if (hasBias)
            {
                for (int p = 0; p < pixels; p++)
                {
                    b.CopyTo(yc.Slice(p * g.OutChannels, g.OutChannels));
                }
            }

            Gemm.Multiply(col, false, w, true, yc, pixels, g.OutChannels, g.PatchLength, hasBias, workers);
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward"/>: dW += dyᵀ·col, db += Σ dy, and (when <paramref name="dx"/> is not empty) dx += col2im(dy·W).
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy, Span<float> dw, Span<float> db, Span<float> dx,
        int batch, in ConvGeometry g, Span<float> scratch, WorkerPool? workers = null)
    {
        int chunk = ChunkImages(g, batch);
        int inImage = g.Height * g.Width * g.InChannels;
        int outImage = g.OutPixels * g.OutChannels;
        int k = g.PatchLength;
        var dwT = scratch.Slice(chunk * g.OutPixels * k, k * g.OutChannels);
        dwT.Clear();
        for (int n0 = 0; n0 < batch; n0 += chunk)
        {
            int count = Math.Min(chunk, batch - n0);
            int pixels = count * g.OutPixels;
            var col = scratch[..(pixels * k)];
            var gc = dy.Slice(n0 * outImage, count * outImage);
            Im2Col(x.Slice(n0 * inImage, count * inImage), col, count, g);

            // dWᵀ = colᵀ·dy has K rows and C_out columns: whole 6×16 register tiles even when C_out is 16.
            Gemm.Multiply(col, true, gc, false, dwT, k, g.OutChannels, pixels, true, workers);
            if (!db.IsEmpty)
            {
                for (int p = 0; p < pixels; p++)
                {
                    var row = gc.Slice(p * g.OutChannels, g.OutChannels);
                    for (int o = 0; o < row.Length; o++)
                    {
                        db[o] += row[o];
                    }
                }
            }

            if (!dx.IsEmpty)
            {
                Gemm.Multiply(gc, false, w, false, col, pixels, g.PatchLength, g.OutChannels, false, workers);
                Col2ImAdd(col, dx.Slice(n0 * inImage, count * inImage), count, g);
            }
        }

        for (int o = 0; o < g.OutChannels; o++)
        {
            var row = dw.Slice(o * k, k);
            for (int j = 0; j < k; j++)
            {
                row[j] += dwT[(j * g.OutChannels) + o];
            }
        }
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
                for (int oh = 0; oh < g.OutHeight; oh++)
                {
                    for (int ow = 0; ow < g.OutWidth; ow++, dst += k)
                    {
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
                    for (int kh = 0; kh < g.KernelH; kh++)
                    {
                        int ih = (oh * g.Stride) - g.Padding + kh;
                        for (int kw = 0; kw < g.KernelW; kw++, d += c)
                        {
                            int iw = (ow * g.Stride) - g.Padding + kw;
                            if ((uint)ih < (uint)g.Height && (uint)iw < (uint)g.Width)
                            {
                                var dst = image.Slice(((ih * g.Width) + iw) * c, c);
                                var s = src.Slice(d, c);
                                for (int j = 0; j < c; j++)
                                {
                                    dst[j] += s[j];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
