using PipeRL.Tensors.Kernels;

namespace PipeRL.Tensors;

/// <summary>
/// A 2-D convolution layer over NHWC images, weight [out, kh, kw, in] and bias [out], PyTorch default initialisation.
/// </summary>
/// <remarks>
/// Training: <c>conv.Forward(tape, x)</c> with x [N, H, W, C_in]. Inference without a tape: <c>conv.Infer(x, y, batch, h, w)</c>
/// (scratch kept by the layer, so one thread at a time per instance).
/// </remarks>
public sealed class Conv2d : IModule
{
    private float[] _scratch = [];
    private float[] _packed = [];
    private int[] _rowStarts = [];

    /// <summary>Creates a layer; <paramref name="padding"/> 1 with a 3×3 kernel and stride 1 keeps the image size ("same").</summary>
    public Conv2d(string name, int inChannels, int outChannels, int kernelSize, SeededRandom rng, int stride = 1, int padding = 0, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"Conv2d '{name}': invalid sizes in={inChannels}, out={outChannels}, kernel={kernelSize}, stride={stride}, padding={padding}.");
        }

        Weight = new Parameter($"{name}.weight", new Shape(outChannels, kernelSize, kernelSize, inChannels));
        Bias = bias ? new Parameter($"{name}.bias", new Shape(outChannels)) : null;
        Stride = stride;
        Padding = padding;
        Initializers.PyTorchDefault(Weight.Value, Bias?.Value, rng);
        Parameters = Bias is null ? [Weight] : [Weight, Bias];
    }

    /// <summary>The weight [out, kh, kw, in].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias [out], or null.</summary>
    public Parameter? Bias { get; }

    /// <summary>Stride in both directions.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on every side.</summary>
    public int Padding { get; }

    /// <summary>Input channels.</summary>
    public int InChannels => Weight.Shape[3];

    /// <summary>Output channels.</summary>
    public int OutChannels => Weight.Shape[0];

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The geometry for an input of <paramref name="height"/>×<paramref name="width"/>.</summary>
    public ConvGeometry Geometry(int height, int width)
        => new(height, width, InChannels, OutChannels, Weight.Shape[1], Weight.Shape[2], Stride, Padding);

    /// <summary>Records the convolution of x [N, H, W, C_in] on <paramref name="tape"/>.</summary>
    public Var Forward(Tape tape, Var x) => tape.Conv2d(x, Weight, Bias, Stride, Padding);

    /// <summary>Records the convolution of x [N, H, W, C_in], followed by max(·, 0) fused into it when <paramref name="relu"/>.</summary>
    public Var Forward(Tape tape, Var x, bool relu) => tape.Conv2d(x, Weight, Bias, Stride, Padding, relu);

    /// <summary>Convolves <paramref name="batch"/> NHWC images of <paramref name="height"/>×<paramref name="width"/> without a tape.</summary>
    public void Infer(ReadOnlySpan<float> x, Span<float> y, int batch, int height, int width, WorkerPool? workers = null)
    {
        var g = Geometry(height, width);
        g.Validate();
        if (x.Length < batch * height * width * InChannels || y.Length < batch * g.OutPixels * OutChannels)
        {
            throw new ArgumentException($"Conv2d '{Weight.Name}': buffers too small for {batch} images of {height}x{width}x{InChannels}.", nameof(x));
        }

        if (batch == 1)
        {
            // One image: each patch is read in place from a padded copy of the input, with the weight packed on the way
            // (1.2 µs less than a patch matrix for a 10×10×10 frame; the same sums bit for bit).
            Grow(ref _packed, Gemm.PackedLength(OutChannels, g.PatchLength));
            Grow(ref _scratch, Conv2dKernel.PaddedLength(g));
            if (_rowStarts.Length < g.OutPixels)
            {
                _rowStarts = new int[g.OutPixels];
            }

            Gemm.PackB(Weight.Value.Span, true, OutChannels, g.PatchLength, _packed);
            Conv2dKernel.ForwardPixels(x, _packed, Bias is null ? default : Bias.Value.Span, y, g, 0, g.OutPixels, _scratch, _rowStarts);
            return;
        }

        Grow(ref _scratch, Conv2dKernel.ScratchLength(g, batch));
        Conv2dKernel.Forward(x, Weight.Value.Span, Bias is null ? default : Bias.Value.Span, y, batch, g, _scratch, workers);
    }

    private static void Grow(ref float[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new float[length];
        }
    }
}
