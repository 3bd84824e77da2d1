namespace PipeRL.Tensors.Kernels;

/// <summary>
/// Forward 2-D pooling of NHWC images over k×k windows with stride k and no padding (floor, as PyTorch's
/// <c>MaxPool2d(k)</c> / <c>AvgPool2d(k)</c>); shared by the tape and the tape-free pipeline kernels.
/// </summary>
public static class Pool2dKernel
{
    /// <summary>Writes [n, h/k, w/k, c] window maxima (or means when <paramref name="max"/> is false) of x [n, h, w, c] into y.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int n, int h, int w, int c, int k, bool max)
    {
        if (k < 1 || k > h || k > w)
        {
            throw new ArgumentOutOfRangeException(nameof(k), $"Pooling window {k} does not fit a spatial size of {h}x{w}.");
        }

        int oh = h / k, ow = w / k;
        if (x.Length < n * h * w * c || y.Length < n * oh * ow * c)
        {
            throw new ArgumentException($"Pooling buffers are too short for [{n}, {h}, {w}, {c}] with k={k}.", nameof(y));
        }

        float inv = 1f / (k * k);
        for (int b = 0; b < n; b++)
        {
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    var o = y.Slice(((b * oh + oy) * ow + ox) * c, c);
                    for (int dy = 0; dy < k; dy++)
                    {
                        for (int dx = 0; dx < k; dx++)
                        {
                            var i = x.Slice(((b * h + oy * k + dy) * w + ox * k + dx) * c, c);
                            if (dy == 0 && dx == 0)
                            {
                                i.CopyTo(o);
                            }
                            else if (max)
                            {
                                for (int ch = 0; ch < c; ch++)
                                {
                                    // Strictly greater keeps the first maximum, the element the backward pass routes to.
                                    if (i[ch] > o[ch])
                                    {
                                        o[ch] = i[ch];
                                    }
                                }
                            }
                            else
                            {
                                for (int ch = 0; ch < c; ch++)
                                {
                                    o[ch] += i[ch];
                                }
                            }
                        }
                    }

                    if (!max)
                    {
                        for (int ch = 0; ch < c; ch++)
                        {
                            o[ch] *= inv;
                        }
                    }
                }
            }
        }
    }
}
