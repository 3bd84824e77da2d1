
namespace PipeRL.Envs.Tests;

// Expected values come from numpy 1.24.2 (spec section 4.3 and numpy's own output) and the MT19937 reference output.
public sealed class NumpyRandomStateTests
{
    [Fact]
    public void RawOutputsMatchMt19937ForSeedZeroAnd5489()
    {
        var zero = new NumpyRandomState(0);
        Assert.Equal([2357136044u, 2546248239u, 3071714933u, 3626093760u], [zero.NextUInt32(), zero.NextUInt32(), zero.NextUInt32(), zero.NextUInt32()]);
        var classic = new NumpyRandomState(5489);
        Assert.Equal([3499211612u, 581869302u], [classic.NextUInt32(), classic.NextUInt32()]);
    }

    [Fact]
    public void InitByArrayMatchesTheMt19937ReferenceOutput()
    {
        var state = new NumpyRandomState([0x123u, 0x234u, 0x345u, 0x456u]);
        Assert.Equal([1067595299u, 955945823u, 477289528u], [state.NextUInt32(), state.NextUInt32(), state.NextUInt32()]);
    }

    [Fact]
    public void RandMatchesNumpy()
    {
        var state = new NumpyRandomState(0);
        Assert.Equal(0.5488135039273248, state.NextDouble());
        Assert.Equal(0.7151893663724195, state.NextDouble());
        Assert.Equal(0.6027633760716439, state.NextDouble());
    }

    [Fact]
    public void RandintUsesMaskedRejection()
    {
        var rows = new NumpyRandomState(0);
        Assert.Equal([5, 8, 6, 1, 4, 4], Enumerable.Range(0, 6).Select(_ => rows.NextInt(1, 9)).ToArray());

        var speeds = new NumpyRandomState(0);
        Assert.Equal([5, 1, 4, 4, 4, 2, 4, 3], Enumerable.Range(0, 8).Select(_ => speeds.NextInt(1, 6)).ToArray());
        Assert.Equal(0.4375872112626925, speeds.NextDouble());
    }

    [Fact]
    public void RandintWithOneValueConsumesNothing()
    {
        var state = new NumpyRandomState(42);
        Assert.Equal(0.3745401188473625, state.NextDouble());
        Assert.Equal(0, state.NextInt(0, 2));
        Assert.Equal(2, state.NextInt(0, 5));
        Assert.Equal(0, state.NextInt(0, 1));
        Assert.Equal(0.7796910002727693, state.NextDouble());
    }

    [Fact]
    public void RandintHandlesNegativeLowAndWideRanges()
    {
        var state = new NumpyRandomState(0);
        Assert.Equal([985767, 305706, 435824, 117947, 963390, 152310], Enumerable.Range(0, 6).Select(_ => state.NextInt(-5, 1000000)).ToArray());
        Assert.Equal(0, state.NextInt(0, 1));
        Assert.Equal(0.5448831829968969, state.NextDouble());
    }

    [Fact]
    public void LargestSeedIsAccepted()
    {
        var state = new NumpyRandomState(uint.MaxValue);
        Assert.Equal(0.0976320289940138, state.NextDouble());
        Assert.Equal(7, state.NextInt(3, 10));
    }

    [Fact]
    public void StandardNormalIsLegacyPolarGaussWithCachedSecondValue()
    {
        var state = new NumpyRandomState(0);
        double[] expected = [1.764052345967664, 0.4001572083672233, 0.9787379841057392, 2.240893199201458, 1.8675579901499675];
        Assert.Equal(expected, Enumerable.Range(0, 5).Select(_ => state.StandardNormal()).ToArray());
    }

    [Fact]
    public void UniformAndNormalShareTheStreamAsNumpy()
    {
        var state = new NumpyRandomState(0);
        Assert.Equal(0.00048813503927324763, state.Uniform(-0.005, 0.005));
        Assert.Equal(2.9831834816183225, state.Normal(1.5, 2.0));
        Assert.Equal(1.5529137219128164, state.StandardNormal());
        Assert.Equal(-2.268328201180374, state.StandardNormal());
    }

    [Fact]
    public void ReseedingRestartsTheStreamAndDropsTheCachedGaussian()
    {
        var state = new NumpyRandomState(7);
        state.StandardNormal();
        state.Seed(0);
        Assert.Equal(1.764052345967664, state.StandardNormal());
    }

    [Fact]
    public void EmptyRangeAndEmptyKeyAreRejected()
    {
        var state = new NumpyRandomState(0);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => state.NextInt(3, 3));
        Assert.Contains("low < high", range.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new NumpyRandomState(ReadOnlySpan<uint>.Empty));
    }

    [Fact]
    public void AReadStateContinuesTheStreamWithTheCachedGaussian()
    {
        var original = new NumpyRandomState(5);
        for (var i = 0; i < 700; i++)
        {
            original.NextUInt32();
        }

        // An odd number of normals leaves the second value of a pair cached.
        original.StandardNormal();
        using var stream = new MemoryStream();
        original.WriteState(new BinaryWriter(stream));
        var copy = new NumpyRandomState(6);
        stream.Position = 0;
        copy.ReadState(new BinaryReader(stream));
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(original.StandardNormal(), copy.StandardNormal());
            Assert.Equal(original.NextInt(0, 7), copy.NextInt(0, 7));
        }
    }
}
