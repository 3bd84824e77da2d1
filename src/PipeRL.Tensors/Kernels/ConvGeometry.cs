namespace PipeRL.Tensors.Kernels;

/// <summary>
/// Sizes of a 2-D convolution over NHWC images with an [outChannels, kernelH, kernelW, inChannels] weight.
/// </summary>
/// <param name="Height">Input height.</param>
/// <param name="Width">Input width.</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="KernelH">Kernel height.</param>
/// <param name="KernelW">Kernel width.</param>
/// <param name="Stride">Stride in both directions.</param>
/// <param name="Padding">Zero padding on every side.</param>
public readonly record struct ConvGeometry(int Height, int Width, int InChannels, int OutChannels, int KernelH, int KernelW, int Stride, int Padding)
{
    /// <summary>Output height: (H + 2·pad − KH) / stride + 1.</summary>
    public int OutHeight => ((Height + (2 * Padding) - KernelH) / Stride) + 1;

    /// <summary>Output width.</summary>
    public int OutWidth => ((Width + (2 * Padding) - KernelW) / Stride) + 1;

    /// <summary>Length of one im2col row: KH·KW·C_in (the weight's row length).</summary>
    public int PatchLength => KernelH * KernelW * InChannels;

    /// <summary>Output pixels per image.</summary>
    public int OutPixels => OutHeight * OutWidth;

    /// <summary>Throws a clear message when the sizes do not make a valid convolution.</summary>
    public void Validate()
    {
        if (Height <= 0 || Width <= 0 || InChannels <= 0 || OutChannels <= 0 || KernelH <= 0 || KernelW <= 0 || Stride <= 0 || Padding < 0)
        {
            throw new ArgumentException($"Invalid convolution: {this}; sizes and stride must be positive, padding non-negative.");
        }

        if (Height + (2 * Padding) < KernelH || Width + (2 * Padding) < KernelW)
        {
            throw new ArgumentException($"Convolution kernel {KernelH}x{KernelW} is larger than the padded {Height}x{Width} input (padding {Padding}).");
        }
    }
}
