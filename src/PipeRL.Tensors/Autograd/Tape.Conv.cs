using PipeRL.Tensors.Kernels;

namespace PipeRL.Tensors;

/// <summary>2-D convolution.</summary>
public sealed partial class Tape
{
    /// <summary>
    /// Convolution of NHWC images x [N, H, W, C_in] with weight [C_out, KH, KW, C_in] and optional bias [C_out]; the result
    /// is [N, OH, OW, C_out]. The parameters are used directly. With <paramref name="relu"/>, the result is max(conv, 0),
    /// the same values and gradients as <see cref="Relu"/> of the plain convolution without its extra passes over the output.
    /// </summary>
    public Var Conv2d(Var x, Parameter weight, Parameter? bias, int stride = 1, int padding = 0, bool relu = false)
    {
        ArgumentNullException.ThrowIfNull(weight);
        var nx = Check(x);
        var s = nx.Value.Shape;
        if (s.Rank != 4 || weight.Shape.Rank != 4 || weight.Shape[3] != s[3])
        {
            throw new ArgumentException($"Conv2d '{weight.Name}': expected NHWC input [N, H, W, {(weight.Shape.Rank == 4 ? weight.Shape[3] : 0)}] for weight {weight.Shape}, got {s}.", nameof(x));
        }

        var g = new ConvGeometry(s[1], s[2], s[3], weight.Shape[0], weight.Shape[1], weight.Shape[2], stride, padding);
        g.Validate();
        if (bias is not null && bias.Value.Length != g.OutChannels)
        {
            throw new ArgumentException($"Conv2d '{weight.Name}': bias {bias.Shape} does not match {g.OutChannels} output channels.", nameof(bias));
        }

        var node = NewNode(OpKind.Conv2d, new Shape(s[0], g.OutHeight, g.OutWidth, g.OutChannels), true, x.Index);
        node.P0 = weight;
        node.P1 = bias;
        node.I0 = stride;
        node.I1 = padding;
        node.Relu = relu;
        var scratch = _pool.Rent(Conv2dKernel.ScratchLength(g, s[0]));
        Conv2dKernel.Forward(nx.Value.Span, weight.Value.Span, bias is null ? default : bias.Value.Span, node.Value.Span, s[0], g, scratch, Workers, relu);
        _pool.Return(scratch);
        return new Var(this, _count - 1);
    }

    private void BackwardConv2d(Node node)
    {
        var nx = At(node.A);
        var s = nx.Value.Shape;
        var w = node.P0!;
        var g = new ConvGeometry(s[1], s[2], s[3], w.Shape[0], w.Shape[1], w.Shape[2], node.I0, node.I1);
        var dx = nx.RequiresGrad ? GradSpan(node.A) : default;
        var db = node.P1 is null ? default : node.P1.Grad.Span;
        var reluOutput = node.Relu ? node.Value.Span : default;
        Conv2dKernel.Backward(nx.Value.Span, w.Value.Span, node.Grad.Span, w.Grad.Span, db, dx, s[0], g, Workers, reluOutput);
    }
}
