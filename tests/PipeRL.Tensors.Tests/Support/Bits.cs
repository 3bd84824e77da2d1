namespace PipeRL.Tensors.Tests.Support;

/// <summary>Bit-for-bit comparison of float results (also tells +0 from −0 and NaN payloads apart).</summary>
internal static class Bits
{
    /// <summary>Fails at the first element whose bits differ, naming <paramref name="what"/> and the index.</summary>
    public static void AssertEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}, element {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
