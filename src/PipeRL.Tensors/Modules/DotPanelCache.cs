using PipeRL.Tensors.Kernels;

namespace PipeRL.Tensors;

/// <summary>
/// A dense weight's copy in <see cref="Gemm.PackDotPanels"/>'s layout for inference on a few rows, made once the weight
/// has stayed unchanged (the same <see cref="Parameter.Version"/>) for <see cref="StableCalls"/> calls: evaluation and
/// deployment get the streaming kernel, while training loops, which change the weight every few calls, never pay for a
/// copy they would not use. The results have the same bits with or without the copy.
/// </summary>
/// <remarks>
/// A copy is published whole and never written again, so concurrent readers are safe; it is rebuilt (one array) only
/// when the weight's version moves and the new version again lasts <see cref="StableCalls"/> calls. Whoever writes the
/// weight directly calls <see cref="Parameter.MarkChanged"/>, as for every derived layout.
/// </remarks>
internal sealed class DotPanelCache(Parameter weight)
{
    /// <summary>Calls at one weight version before the copy is made (building it costs about as much as 10-30 calls).</summary>
    public const int StableCalls = 32;

    private Copy? _copy;
    private long _seenVersion = -1;
    private int _calls;

    /// <summary>The up-to-date panels, or null while there is none (or the CPU lacks the kernel): then use <see cref="Gemm.Multiply"/>.</summary>
    public AlignedFloats? Current()
    {
        if (!Gemm.DotPanelsSupported)
        {
            return null;
        }

        long version = weight.Version;
        var copy = Volatile.Read(ref _copy);
        if (copy is not null && copy.Version == version)
        {
            return copy.Panels;
        }

        if (version != _seenVersion)
        {
            _seenVersion = version;
            _calls = 1;
            return null;
        }

        if (++_calls < StableCalls)
        {
            return null;
        }

        int n = weight.Shape[0];
        int k = weight.Value.Length / n;
        var panels = new AlignedFloats(Gemm.DotPanelLength(n, k));
        Gemm.PackDotPanels(weight.Value.Span, n, k, panels.Span);
        Volatile.Write(ref _copy, new Copy(panels, version));
        return panels;
    }

    private sealed record Copy(AlignedFloats Panels, long Version);
}
