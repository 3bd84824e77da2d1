namespace PipeRL.Envs.Tests.Random;

public sealed class Pcg64Tests
{
    [Theory]
    [InlineData(0xdeadbeafUL, new[] { 0x60d24054e17a0698UL, 0xd5e79d89856e4f12UL, 0xd254972fe64bd782UL, 0xf1e3072a53c72571UL }, 0xa5cb380b8de10d10UL)]
    [InlineData(0UL, new[] { 0xa30febcfd9c2825fUL, 0x4510bdf882d9d721UL, 0x0a7d3da94ecde8b8UL, 0x043b27b61342f01dUL }, 0x6148329042f743b0UL)]
    public void Raw_outputs_match_numpys_test_sets(ulong seed, ulong[] first, ulong thousandth)
    {
        // numpy/random/tests/data/pcg64-testset-{1,2}.csv: PCG64(seed).random_raw(), outputs 0-3 and 999.
        var pcg = new Pcg64(seed);

        var outputs = Enumerable.Range(0, 1000).Select(_ => pcg.NextUInt64()).ToArray();

        Assert.Equal(first, outputs[..4]);
        Assert.Equal(thousandth, outputs[999]);
    }

    [Fact]
    public void Seeding_with_0_gives_numpys_state()
    {
        var pcg = new Pcg64(0);

        Assert.Equal(UInt128.Parse("35399562948360463058890781895381311971"), pcg.State);
        Assert.Equal(UInt128.Parse("87136372517582989555478159403783844777"), pcg.Increment);
    }

    [Fact]
    public void Doubles_are_the_top_53_bits()
    {
        var raw = new Pcg64(0xdeadbeaf);
        var doubles = new Pcg64(0xdeadbeaf);

        Assert.Equal((0x60d24054e17a0698UL >> 11) / 9007199254740992.0, doubles.NextDouble());
        Assert.Equal(0x60d24054e17a0698UL, raw.NextUInt64());
    }

    [Fact]
    public void A_restored_state_continues_the_stream_and_an_even_increment_is_refused()
    {
        var original = new Pcg64(7);
        original.NextUInt64();
        var copy = new Pcg64(0);

        copy.Restore(original.State, original.Increment);

        Assert.Equal(original.NextUInt64(), copy.NextUInt64());
        var ex = Assert.Throws<ArgumentException>(() => copy.Restore(UInt128.One, new UInt128(0, 2)));
        Assert.Contains("odd", ex.Message, StringComparison.Ordinal);
    }
}
