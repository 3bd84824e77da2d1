using PipeRL.Tensors.Kernels;
using PipeRL.Tensors.Tests.Support;

namespace PipeRL.Tensors.Tests.Kernels;

public sealed class Conv2dKernelTests
{
    [Theory]
    [InlineData(37, 8, 16)]
    [InlineData(9, 20, 5)]
    [InlineData(3, 4, 32)]
    public void SeveralThreadsGiveTheSameBitsAsOne(int batch, int cin, int cout)
    {
        // 37 images of 10x10x8 make 7 im2col chunks (backward: 7 parts); 3 images of 10x10x4 make a single chunk.
        var g = new ConvGeometry(10, 10, cin, cout, 3, 3, 1, 1);
        var (x, w, b, dy) = Operands(g, batch, 5);
        var one = Run(g, batch, x, w, b, dy, null);
        using var pool = new WorkerPool(2);
        var two = Run(g, batch, x, w, b, dy, pool);
        using var four = new WorkerPool(4);
        var three = Run(g, batch, x, w, b, dy, four);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i], two[i]);
            Assert.Equal(one[i], three[i]);
        }
    }

    [Theory]
    [InlineData(10, 10, 4, 16, 3, 1, 1)] // the MinAtar actors' convs
    [InlineData(10, 10, 32, 32, 3, 1, 1)]
    [InlineData(7, 9, 3, 5, 3, 2, 1)] // stride 2, odd sizes
    [InlineData(6, 5, 2, 33, 5, 1, 2)] // wide padding, a ragged 32-wide panel
    [InlineData(6, 6, 3, 8, 1, 1, 0)] // 1x1 kernel, no padding
    public void PixelRangesReadInPlaceGiveTheBitsOfForward(int h, int w, int cin, int cout, int kernel, int stride, int padding)
    {
        var g = new ConvGeometry(h, w, cin, cout, kernel, kernel, stride, padding);
        var (x, weight, b, _) = Operands(g, 1, 11);
        var packed = new float[Gemm.PackedLength(cout, g.PatchLength)];
        Gemm.PackB(weight, true, cout, g.PatchLength, packed);
        int pixels = g.OutPixels;
        foreach (var (bias, relu) in new[] { (true, false), (false, true), (true, true) })
        {
            var expected = new float[pixels * cout];
            Conv2dKernel.Forward(x, weight, bias ? b : default, expected, 1, g, new float[Conv2dKernel.ScratchLength(g, 1)], relu: relu);
            foreach (var cuts in new[] { new[] { 0, pixels }, [0, 7, pixels], [0, 1, pixels / 3, pixels] })
            {
                var actual = new float[pixels * cout];
                actual.AsSpan().Fill(float.NaN);
                for (int s = 0; s + 1 < cuts.Length; s++)
                {
                    // NaN wherever a range did not write its padded rows: reading one would show in the outputs.
                    var padded = new float[Conv2dKernel.PaddedLength(g)];
                    padded.AsSpan().Fill(float.NaN);
                    Conv2dKernel.ForwardPixels(x, packed, bias ? b : default, actual, g, cuts[s], cuts[s + 1], padded, new int[cuts[s + 1] - cuts[s]], relu);
                }

                Bits.AssertEqual(expected, actual, $"bias={bias}, relu={relu}, cuts={string.Join(',', cuts)}");
            }
        }
    }

    [Fact]
    public void BackwardOverManyPartsMatchesDoubleReference()
    {
        // 23 images of 7x7x10 with a 3x3 kernel, stride 2: several chunks, so dW and db are summed over parts.
        int batch = 23;
        var g = new ConvGeometry(7, 7, 10, 6, 3, 3, 2, 1);
        var (x, w, b, dy) = Operands(g, batch, 9);
        using var pool = new WorkerPool(2);
        var got = Run(g, batch, x, w, b, dy, pool);
        var (dw, db, dx) = ReferenceBackward(g, batch, x, w, dy);
        Assert.True(GradCheck.RelativeError(got[1], dw) < 1e-5, "dW");
        Assert.True(GradCheck.RelativeError(got[2], db) < 1e-5, "db");
        Assert.True(GradCheck.RelativeError(got[3], dx) < 1e-5, "dx");
        var y = Reference.Conv2d(GradCheck.ToDouble(x), GradCheck.ToDouble(w), GradCheck.ToDouble(b), batch, 7, 7, 10, 6, 3, 2, 1);
        Assert.True(GradCheck.RelativeError(got[0], y) < 1e-5, "y");
    }

    private static (float[] X, float[] W, float[] B, float[] Dy) Operands(in ConvGeometry g, int batch, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var x = new float[batch * g.Height * g.Width * g.InChannels];
        var w = new float[g.OutChannels * g.PatchLength];
        var b = new float[g.OutChannels];
        var dy = new float[batch * g.OutPixels * g.OutChannels];
        rng.FillUniform(x, -1, 1);
        rng.FillUniform(w, -1, 1);
        rng.FillUniform(b, -1, 1);
        rng.FillUniform(dy, -1, 1);
        return (x, w, b, dy);
    }

    /// <summary>y, dW, db and dx (dW, db and dx accumulated onto ones, to check that they add).</summary>
    private static float[][] Run(in ConvGeometry g, int batch, float[] x, float[] w, float[] b, float[] dy, WorkerPool? pool)
    {
        var y = new float[dy.Length];
        var dw = new float[w.Length];
        var db = new float[b.Length];
        var dx = new float[x.Length];
        Conv2dKernel.Forward(x, w, b, y, batch, g, new float[Conv2dKernel.ScratchLength(g, batch)], pool);
        Conv2dKernel.Backward(x, w, dy, dw, db, dx, batch, g, pool);
        return [y, dw, db, dx];
    }

    private static (double[] Dw, double[] Db, double[] Dx) ReferenceBackward(in ConvGeometry g, int batch, float[] x, float[] w, float[] dy)
    {
        var dw = new double[w.Length];
        var db = new double[g.OutChannels];
        var dx = new double[x.Length];
        int c = g.InChannels;
        for (int n = 0; n < batch; n++)
        {
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    for (int o = 0; o < g.OutChannels; o++)
                    {
                        double d = dy[(((((n * g.OutHeight) + oh) * g.OutWidth) + ow) * g.OutChannels) + o];
                        db[o] += d;
                        for (int kh = 0; kh < g.KernelH; kh++)
                        {
                            for (int kw = 0; kw < g.KernelW; kw++)
                            {
                                int ih = (oh * g.Stride) - g.Padding + kh;
                                int iw = (ow * g.Stride) - g.Padding + kw;
                                if ((uint)ih >= (uint)g.Height || (uint)iw >= (uint)g.Width)
                                {
                                    continue;
                                }

                                for (int ci = 0; ci < c; ci++)
                                {
                                    int xi = (((((n * g.Height) + ih) * g.Width) + iw) * c) + ci;
                                    int wi = (((((o * g.KernelH) + kh) * g.KernelW) + kw) * c) + ci;
                                    dw[wi] += d * x[xi];
                                    dx[xi] += d * w[wi];
                                }
                            }
                        }
                    }
                }
            }
        }

        return (dw, db, dx);
    }
}
