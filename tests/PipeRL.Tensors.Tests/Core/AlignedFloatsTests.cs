namespace PipeRL.Tensors.Tests.Core;

public sealed class AlignedFloatsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(4096)]
    [InlineData(204_800)]
    public unsafe void TheFloatsAreZerosStartingOnA64ByteBoundary(int length)
    {
        // Many in a row, so the GC places some of the arrays at each possible 8-byte offset.
        for (int i = 0; i < 32; i++)
        {
            var floats = new AlignedFloats(length);

            Assert.Equal(length, floats.Length);
            Assert.Equal(length, floats.Span.Length);
            Assert.All(floats.Span.ToArray(), f => Assert.Equal(0f, f));
            fixed (float* first = floats.Span)
            {
                Assert.True(length == 0 || (nuint)first % 64 == 0, $"starts at {(nuint)first % 64} bytes past a 64-byte boundary");
            }
        }
    }

    [Fact]
    public void ANegativeLengthIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlignedFloats(-1));
    }
}
