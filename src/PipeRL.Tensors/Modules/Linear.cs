using PipeRL.Tensors.Kernels;

namespace PipeRL.Tensors;

/// <summary>
/// A dense layer y = x·Wᵀ + b with W [out, in] and b [out] (PyTorch's layout and default initialisation).
/// </summary>
/// <remarks>
/// Training: <c>var y = linear.Forward(tape, x);</c>. Inference without a tape, allocation-free:
/// <c>linear.Infer(x, y, rows)</c> on spans of rows·in and rows·out floats.
/// </remarks>
public sealed class Linear : IModule
{
    private readonly DotPanelCache _panels;

    /// <summary>Creates a layer with PyTorch's default initialisation drawn from <paramref name="rng"/>.</summary>
    public Linear(string name, int inFeatures, int outFeatures, SeededRandom rng, bool bias = true)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear '{name}' needs positive sizes, got in={inFeatures}, out={outFeatures}.");
        }

        ArgumentNullException.ThrowIfNull(rng);
        Weight = new Parameter($"{name}.weight", new Shape(outFeatures, inFeatures));
        Bias = bias ? new Parameter($"{name}.bias", new Shape(outFeatures)) : null;
        Initializers.PyTorchDefault(Weight.Value, Bias?.Value, rng);
        Parameters = Bias is null ? [Weight] : [Weight, Bias];
        _panels = new DotPanelCache(Weight);
    }

    /// <summary>The weight [out, in].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias [out], or null.</summary>
    public Parameter? Bias { get; }

    /// <summary>Input features.</summary>
    public int InFeatures => Weight.Shape[1];

    /// <summary>Output features.</summary>
    public int OutFeatures => Weight.Shape[0];

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Records y = x·Wᵀ + b on <paramref name="tape"/>.</summary>
    public Var Forward(Tape tape, Var x) => tape.Linear(x, Weight, Bias);

    /// <summary>Records y = x·Wᵀ + b, followed by max(·, 0) fused into it when <paramref name="relu"/>.</summary>
    public Var Forward(Tape tape, Var x, bool relu) => tape.Linear(x, Weight, Bias, relu);

    /// <summary>
    /// Computes y = x·Wᵀ + b for <paramref name="rows"/> rows without a tape. Up to <see cref="Gemm.SmallRowCount"/> rows
    /// read a streaming copy of W once W has stayed unchanged for a while (same bits); that copy is the only allocation,
    /// one array per weight version.
    /// </summary>
    public void Infer(ReadOnlySpan<float> x, Span<float> y, int rows = 1, WorkerPool? workers = null)
    {
        if (x.Length < rows * InFeatures || y.Length < rows * OutFeatures)
        {
            throw new ArgumentException($"Linear '{Weight.Name}': {rows} rows need {rows * InFeatures} inputs and {rows * OutFeatures} outputs, got {x.Length} and {y.Length}.", nameof(x));
        }

        var panels = rows <= Gemm.SmallRowCount ? _panels.Current() : null;
        Tape.LinearForward(x, Weight.Value.Span, Bias is null ? default : Bias.Value.Span, y, rows, InFeatures, OutFeatures, workers, panels: panels is null ? default : panels.Span);
    }
}
