namespace PipeRL.Envs.MuJoCo;

/// <summary>
/// numpy's float32 <c>np.sum</c> of a contiguous vector, bit for bit: pairwise summation in float32 (fewer than 8
/// values one after another; up to 128 in 8 interleaved accumulators combined as a tree; longer vectors split in
/// halves at a multiple of 8), added to the reduction's initial 0.
/// </summary>
internal static class Float32Sum
{
    private const int BlockSize = 128;

    /// <summary><c>np.sum(np.square(values))</c> for a float32 array: each square rounded to float32, then summed as numpy does.</summary>
    public static float OfSquares(ReadOnlySpan<float> values) => 0f + Pairwise(values);

    private static float Pairwise(ReadOnlySpan<float> values)
    {
        var n = values.Length;
        if (n < 8)
        {
            // numpy starts from -0 so that a sum of negative zeros stays -0.
            var sum = -0f;
            foreach (var v in values)
            {
                sum += v * v;
            }

            return sum;
        }

        if (n <= BlockSize)
        {
            Span<float> r = stackalloc float[8];
            for (var j = 0; j < 8; j++)
            {
                r[j] = values[j] * values[j];
            }

            var i = 8;
            for (; i < n - (n % 8); i += 8)
            {
                for (var j = 0; j < 8; j++)
                {
                    r[j] += values[i + j] * values[i + j];
                }
            }

            var result = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++)
            {
                result += values[i] * values[i];
            }

            return result;
        }

        var half = n / 2;
        half -= half % 8;
        return Pairwise(values[..half]) + Pairwise(values[half..]);
    }
}
