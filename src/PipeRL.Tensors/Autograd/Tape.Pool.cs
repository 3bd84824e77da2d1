using PipeRL.Tensors.Kernels;

namespace PipeRL.Tensors;

/// <summary>2-D pooling.</summary>
public sealed partial class Tape
{
    /// <summary>
    /// Max pooling of NHWC images x [N, H, W, C] over k×k windows with stride k (floor, no padding, as
    /// <c>torch.nn.MaxPool2d(k)</c>); the result is [N, H/k, W/k, C] and the gradient goes to the first maximum of each window.
    /// </summary>
    public Var MaxPool2d(Var x, int k) => Pool2d(OpKind.MaxPool2d, x, k);

    /// <summary>
    /// Average pooling of NHWC images x [N, H, W, C] over k×k windows with stride k (floor, no padding, as
    /// <c>torch.nn.AvgPool2d(k)</c>); the result is [N, H/k, W/k, C].
    /// </summary>
    public Var AvgPool2d(Var x, int k) => Pool2d(OpKind.AvgPool2d, x, k);

    private Var Pool2d(OpKind kind, Var x, int k)
    {
        var nx = Check(x);
        var s = nx.Value.Shape;
        if (s.Rank != 4 || k < 1 || k > s[1] || k > s[2])
        {
            throw new ArgumentException($"{kind}: expected NHWC input [N, H, W, C] with 1 <= k <= H, W; got {s} with k={k}.", nameof(x));
        }

        int n = s[0], h = s[1], w = s[2], c = s[3];
        int oh = h / k, ow = w / k;
        var node = NewNode(kind, new Shape(n, oh, ow, c), nx.RequiresGrad, x.Index);
        node.I0 = k;
        Pool2dKernel.Forward(nx.Value.Span, node.Value.Span, n, h, w, c, k, kind == OpKind.MaxPool2d);
        return new Var(this, _count - 1);
    }

    private void BackwardPool2d(Node node)
    {
        var nx = At(node.A);
        var s = nx.Value.Shape;
        int n = s[0], h = s[1], w = s[2], c = s[3], k = node.I0;
        int oh = h / k, ow = w / k;
        var src = nx.Value.Span;
        var g = node.Grad.Span;
        var dxs = GradSpan(node.A);
        float inv = 1f / (k * k);
        bool max = node.Kind == OpKind.MaxPool2d;
        for (int b = 0; b < n; b++)
        {
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    int o = ((b * oh + oy) * ow + ox) * c;
                    int origin = ((b * h + oy * k) * w + ox * k) * c;
                    for (int ch = 0; ch < c; ch++)
                    {
                        if (max)
                        {
                            // Re-scan the window instead of saving indices: the first maximum in row-major window order wins.
                            int best = origin + ch;
                            for (int dy = 0; dy < k; dy++)
                            {
                                for (int dx = 0; dx < k; dx++)
                                {
                                    int at = origin + (dy * w + dx) * c + ch;
                                    if (src[at] > src[best])
                                    {
                                        best = at;
                                    }
                                }
                            }

                            dxs[best] += g[o + ch];
                        }
                        else
                        {
                            float share = g[o + ch] * inv;
                            for (int dy = 0; dy < k; dy++)
                            {
                                for (int dx = 0; dx < k; dx++)
                                {
                                    dxs[origin + (dy * w + dx) * c + ch] += share;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
