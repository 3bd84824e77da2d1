namespace PipeRL.Tensors;

/// <summary>
/// Weight initialisers (PyTorch's conventions): fan-in is the product of all dimensions but the first, so a Linear
/// weight [out, in] and a Conv2d weight [out, kh, kw, in] have fan-in in and kh·kw·in.
/// </summary>
public static class Initializers
{
    /// <summary>Fan-in of a weight: elements per output unit.</summary>
    public static int FanIn(Shape shape) => shape.Length / shape[0];

    /// <summary>Fan-out of a weight: out · receptive field (PyTorch's rule for conv and linear weights).</summary>
    public static int FanOut(Shape shape) => shape.Rank <= 1 ? shape[0] : shape[0] * (shape.Length / shape[0] / shape[shape.Rank - 1]);

    /// <summary>U(−b, b) with b = gain·√(3 / fan_in), gain = √(2 / (1 + a²)) (<c>kaiming_uniform_</c>).</summary>
    public static void KaimingUniform(Tensor weight, double a, SeededRandom rng)
    {
        double gain = Math.Sqrt(2.0 / (1.0 + (a * a)));
        double bound = gain * Math.Sqrt(3.0 / FanIn(weight.Shape));
        rng.FillUniform(weight.Span, -bound, bound);
    }

    /// <summary>N(0, gain² / fan_in) with gain √2 (<c>kaiming_normal_</c> for ReLU, fan-in mode).</summary>
    public static void KaimingNormal(Tensor weight, SeededRandom rng, double gain = 1.4142135623730951)
    {
        rng.FillGaussian(weight.Span, 0.0, gain / Math.Sqrt(FanIn(weight.Shape)));
    }

    /// <summary>
    /// PyTorch's default for Linear and Conv2d: weight by <c>kaiming_uniform_(a=√5)</c> (that is U(±1/√fan_in)) and
    /// bias U(±1/√fan_in).
    /// </summary>
    public static void PyTorchDefault(Tensor weight, Tensor? bias, SeededRandom rng)
    {
        KaimingUniform(weight, Math.Sqrt(5.0), rng);
        if (bias is not null)
        {
            double bound = 1.0 / Math.Sqrt(FanIn(weight.Shape));
            rng.FillUniform(bias.Span, -bound, bound);
        }
    }

    /// <summary>Sets every element to <paramref name="value"/> (e.g. zero biases).</summary>
    public static void Constant(Tensor tensor, float value) => tensor.Fill(value);

    /// <summary>
    /// <c>orthogonal_</c>: the weight read as [rows, cols] (rows = first dimension) becomes gain·Q, Q with orthonormal
    /// rows or columns (whichever are fewer), from the QR (modified Gram-Schmidt, in double) of a seeded Gaussian matrix
    /// with the signs of R's diagonal folded in, as PyTorch does.
    /// </summary>
    public static void Orthogonal(Tensor weight, SeededRandom rng, double gain = 1.0)
    {
        int rows = weight.Shape[0];
        int cols = weight.Length / rows;
        bool transpose = rows < cols;
        int m = transpose ? cols : rows;
        int n = transpose ? rows : cols;

        // Column-major (column j at q[j·m ..]), filled in the row-major draw order: draw i·n + j is row i of column j.
        var q = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                q[(j * m) + i] = rng.NextGaussian();
            }
        }

        GramSchmidt.Orthonormalize(q, m, n);

        var w = weight.Span;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                double v = transpose ? q[(r * m) + c] : q[(c * m) + r];
                w[(r * cols) + c] = (float)(gain * v);
            }
        }
    }
}
