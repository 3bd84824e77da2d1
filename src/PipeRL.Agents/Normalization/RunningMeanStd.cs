using PipeRL.Tensors.IO;

namespace PipeRL.Agents.Normalization;

/// <summary>
/// The running mean and variance of a vector quantity over every sample seen (Gymnasium's <c>RunningMeanStd</c>: batches
/// merged with Chan et al.'s parallel update, the count starting at 1e-4), and the clipped standardisation
/// <c>clip((x − mean) / √(var + 1e-8), −clip, clip)</c> that CleanRL's continuous PPO applies to observations.
/// </summary>
public sealed class RunningMeanStd
{
    private const double InitialCount = 1e-4;
    private const double VarianceEpsilon = 1e-8;
    private readonly double[] _mean;
    private readonly double[] _variance;
    private readonly double[] _batchMean;
    private readonly double[] _batchVariance;

    /// <summary>Statistics of vectors of <paramref name="size"/> floats, starting at mean 0 and variance 1.</summary>
    public RunningMeanStd(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _mean = new double[size];
        _variance = new double[size];
        _batchMean = new double[size];
        _batchVariance = new double[size];
        Array.Fill(_variance, 1.0);
        Count = InitialCount;
    }

    /// <summary>Floats of one vector.</summary>
    public int Size => _mean.Length;

    /// <summary>The number of vectors seen (plus the initial 1e-4).</summary>
    public double Count { get; private set; }

    /// <summary>The running mean.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>The running (population) variance.</summary>
    public ReadOnlySpan<double> Variance => _variance;

    /// <summary>Merges a batch of <paramref name="rows"/> vectors, [rows, size], into the statistics.</summary>
    public void Update(ReadOnlySpan<float> batch, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        if (batch.Length != rows * Size)
        {
            throw new ArgumentException($"A batch of {rows} vectors of {Size} needs {rows * Size} floats, got {batch.Length}.", nameof(batch));
        }

        Array.Clear(_batchMean);
        Array.Clear(_batchVariance);
        for (var r = 0; r < rows; r++)
        {
            for (var i = 0; i < Size; i++)
            {
                _batchMean[i] += batch[(r * Size) + i];
            }
        }

        for (var i = 0; i < Size; i++)
        {
            _batchMean[i] /= rows;
        }

        for (var r = 0; r < rows; r++)
        {
            for (var i = 0; i < Size; i++)
            {
                var d = batch[(r * Size) + i] - _batchMean[i];
                _batchVariance[i] += d * d;
            }
        }

        var total = Count + rows;
        for (var i = 0; i < Size; i++)
        {
            var delta = _batchMean[i] - _mean[i];
            var m2 = (_variance[i] * Count) + _batchVariance[i] + (delta * delta * Count * rows / total);
            _mean[i] += delta * rows / total;
            _variance[i] = m2 / total;
        }

        Count = total;
    }

    /// <summary>Writes <c>clip((x − mean) / √(var + 1e-8), ±clip)</c> for [rows, size] <paramref name="x"/> into <paramref name="normalized"/>.</summary>
    public void Normalize(ReadOnlySpan<float> x, Span<float> normalized, float clip)
    {
        if (x.Length % Size != 0 || normalized.Length != x.Length)
        {
            throw new ArgumentException($"Normalising needs whole vectors of {Size} floats in and out, got {x.Length} and {normalized.Length}.", nameof(x));
        }

        for (var k = 0; k < x.Length; k++)
        {
            var i = k % Size;
            var z = (x[k] - _mean[i]) / Math.Sqrt(_variance[i] + VarianceEpsilon);
            normalized[k] = (float)Math.Clamp(z, -clip, clip);
        }
    }

    /// <summary>The statistics as one array, <c>[count, mean…, variance…]</c>, for a checkpoint.</summary>
    public double[] ToArray() => [Count, .. _mean, .. _variance];

    /// <summary>Stores the statistics in <paramref name="checkpoint"/> under <paramref name="key"/>, bit for bit.</summary>
    public void Save(Checkpoint checkpoint, string key)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var state = ToArray();
        var bits = new long[state.Length];
        for (var i = 0; i < state.Length; i++)
        {
            bits[i] = BitConverter.DoubleToInt64Bits(state[i]);
        }

        checkpoint.SetIntegers(key, bits);
    }

    /// <summary>Restores what <see cref="Save"/> stored; a missing key or statistics of another size is an <see cref="InvalidDataException"/>.</summary>
    public void Load(Checkpoint checkpoint, string key)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (!checkpoint.Integers.TryGetValue(key, out var bits))
        {
            throw new InvalidDataException($"Checkpoint {checkpoint.SourcePath} has no normaliser statistics '{key}'.");
        }

        var state = new double[bits.Length];
        for (var i = 0; i < bits.Length; i++)
        {
            state[i] = BitConverter.Int64BitsToDouble(bits[i]);
        }

        Restore(state);
    }

    /// <summary>Restores what <see cref="ToArray"/> wrote.</summary>
    public void Restore(ReadOnlySpan<double> state)
    {
        if (state.Length != 1 + (2 * Size) || !(state[0] > 0))
        {
            throw new InvalidDataException($"Normaliser statistics for {Size} values need {1 + (2 * Size)} numbers with a positive count, got {state.Length}.");
        }

        Count = state[0];
        state.Slice(1, Size).CopyTo(_mean);
        state.Slice(1 + Size, Size).CopyTo(_variance);
    }
}
