namespace PipeRL.Tensors.Tests.Support;

/// <summary>Double-precision reference implementations used by the gradient checks.</summary>
internal static class Reference
{
    /// <summary>op(A)·op(B) with the same storage conventions as Gemm.</summary>
    public static double[] MatMul(double[] a, bool transA, double[] b, bool transB, int m, int n, int k)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int kk = 0; kk < k; kk++)
                {
                    s += (transA ? a[(kk * m) + i] : a[(i * k) + kk]) * (transB ? b[(j * k) + kk] : b[(kk * n) + j]);
                }

                c[(i * n) + j] = s;
            }
        }

        return c;
    }

    /// <summary>x·Wᵀ + b.</summary>
    public static double[] Linear(double[] x, double[] w, double[]? b, int rows, int inF, int outF)
    {
        var y = MatMul(x, false, w, true, rows, outF, inF);
        if (b is not null)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int o = 0; o < outF; o++)
                {
                    y[(r * outF) + o] += b[o];
                }
            }
        }

        return y;
    }

    /// <summary>Applies <paramref name="f"/> to every element.</summary>
    public static double[] Map(double[] x, Func<double, double> f)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = f(x[i]);
        }

        return y;
    }

    /// <summary>NHWC convolution with an [out, kh, kw, in] weight.</summary>
    public static double[] Conv2d(double[] x, double[] w, double[]? b, int n, int h, int wd, int c, int cout, int k, int stride, int pad)
    {
        int oh = ((h + (2 * pad) - k) / stride) + 1;
        int ow = ((wd + (2 * pad) - k) / stride) + 1;
        var y = new double[n * oh * ow * cout];
        for (int s = 0; s < n; s++)
        {
            for (int i = 0; i < oh; i++)
            {
                for (int j = 0; j < ow; j++)
                {
                    for (int o = 0; o < cout; o++)
                    {
                        double acc = b is null ? 0 : b[o];
                        for (int kh = 0; kh < k; kh++)
                        {
                            for (int kw = 0; kw < k; kw++)
                            {
                                int ih = (i * stride) - pad + kh;
                                int iw = (j * stride) - pad + kw;
                                if (ih < 0 || ih >= h || iw < 0 || iw >= wd)
                                {
                                    continue;
                                }

                                for (int ci = 0; ci < c; ci++)
                                {
                                    acc += x[(((((s * h) + ih) * wd) + iw) * c) + ci] * w[(((((o * k) + kh) * k) + kw) * c) + ci];
                                }
                            }
                        }

                        y[(((((s * oh) + i) * ow) + j) * cout) + o] = acc;
                    }
                }
            }
        }

        return y;
    }
}
