using PipeRL.Envs.MuJoCo;

namespace PipeRL.Envs.Tests.MuJoCo;

public sealed class Float32SumTests
{
    [Fact]
    public void Fewer_than_8_values_are_summed_in_order_in_float32()
    {
        float[] action = [0.728670597f, -0.515182316f, -0.715985537f];

        var expected = ((action[0] * action[0]) + (action[1] * action[1])) + (action[2] * action[2]);

        Assert.Equal(expected, Float32Sum.OfSquares(action));
        Assert.NotEqual((double)expected, action.Sum(a => (double)a * a));
    }

    [Fact]
    public void Eight_values_are_summed_as_a_tree_of_pairs()
    {
        // Squares 2^24 and seven 1s: in order every 1 is lost to rounding; in pairs they survive (16777222).
        float[] action = [4096f, 1f, 1f, 1f, 1f, 1f, 1f, 1f];

        Assert.Equal(16777222f, Float32Sum.OfSquares(action));
        Assert.Equal(16777216f, action.Aggregate(0f, (sum, a) => sum + (a * a)));
    }

    [Fact]
    public void Long_vectors_split_in_halves_at_a_multiple_of_8()
    {
        float[] values = [4096f, .. Enumerable.Repeat(1f, 199)];

        // 200 values split into 96 + 104, each summed as one block of 8 accumulators.
        Assert.Equal(Float32Sum.OfSquares(values.AsSpan(0, 96)) + Float32Sum.OfSquares(values.AsSpan(96)), Float32Sum.OfSquares(values));
        // The 11 ones added to 2^24's own accumulator vanish; the other 84 + 104 survive.
        Assert.Equal(16777404f, Float32Sum.OfSquares(values));
    }
}
