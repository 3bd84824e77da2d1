using PipeRL.Tensors.Kernels;

namespace PipeRL.Tensors;

/// <summary>
/// An LSTM cell with PyTorch's parameters (W_ih [4H, in], W_hh [4H, H], b_ih, b_hh; gate order i, f, g, o) and default
/// initialisation U(±1/√H).
/// </summary>
/// <remarks>
/// Training: <c>(h, c) = cell.Forward(tape, x, h, c)</c>, once per tick. Inference without a tape:
/// <c>cell.Infer(x, h, c, hOut, cOut, rows)</c>.
/// </remarks>
public sealed class LstmCell : IModule
{
    private float[] _gates = [];

    /// <summary>Creates a cell with <paramref name="inFeatures"/> inputs and <paramref name="hidden"/> units.</summary>
    public LstmCell(string name, int inFeatures, int hidden, SeededRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inFeatures <= 0 || hidden <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"LstmCell '{name}' needs positive sizes, got in={inFeatures}, hidden={hidden}.");
        }

        WeightIh = new Parameter($"{name}.weight_ih", new Shape(4 * hidden, inFeatures));
        WeightHh = new Parameter($"{name}.weight_hh", new Shape(4 * hidden, hidden));
        BiasIh = new Parameter($"{name}.bias_ih", new Shape(4 * hidden));
        BiasHh = new Parameter($"{name}.bias_hh", new Shape(4 * hidden));
        double bound = 1.0 / Math.Sqrt(hidden);
        foreach (var p in new[] { WeightIh, WeightHh, BiasIh, BiasHh })
        {
            rng.FillUniform(p.Value.Span, -bound, bound);
        }

        Parameters = [WeightIh, WeightHh, BiasIh, BiasHh];
    }

    /// <summary>Input-to-gates weight [4H, in].</summary>
    public Parameter WeightIh { get; }

    /// <summary>Hidden-to-gates weight [4H, H].</summary>
    public Parameter WeightHh { get; }

    /// <summary>Input-side gate bias [4H].</summary>
    public Parameter BiasIh { get; }

    /// <summary>Hidden-side gate bias [4H].</summary>
    public Parameter BiasHh { get; }

    /// <summary>Hidden units H.</summary>
    public int Hidden => WeightHh.Shape[1];

    /// <summary>Input features.</summary>
    public int InFeatures => WeightIh.Shape[1];

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Records one step on <paramref name="tape"/>: x [rows, in], h and c [rows, H]; returns (h', c').</summary>
    public (Var H, Var C) Forward(Tape tape, Var x, Var h, Var c)
    {
        var gates = tape.Add(tape.Linear(x, WeightIh, BiasIh), tape.Linear(h, WeightHh, BiasHh));
        return tape.LstmPointwise(gates, c);
    }

    /// <summary>One step without a tape; allocates only when <paramref name="rows"/> grows.</summary>
    public void Infer(ReadOnlySpan<float> x, ReadOnlySpan<float> h, ReadOnlySpan<float> c, Span<float> hOut, Span<float> cOut, int rows = 1)
    {
        int g = 4 * Hidden;
        if (_gates.Length < rows * g)
        {
            _gates = new float[rows * g];
        }

        var gates = _gates.AsSpan(0, rows * g);
        Tape.LinearForward(x, WeightIh.Value.Span, BiasIh.Value.Span, gates, rows, InFeatures, g, null);
        Gemm.Multiply(h, false, WeightHh.Value.Span, true, gates, rows, g, Hidden, true);
        for (int r = 0; r < rows; r++)
        {
            var row = gates.Slice(r * g, g);
            var b = BiasHh.Value.Span;
            for (int j = 0; j < g; j++)
            {
                row[j] += b[j];
            }
        }

        LstmKernel.Forward(gates, c, hOut, cOut, rows, Hidden);
    }
}
