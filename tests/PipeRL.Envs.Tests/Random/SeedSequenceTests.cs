using System.Numerics;

namespace PipeRL.Envs.Tests.Random;

public sealed class SeedSequenceTests
{
    [Fact]
    public void Matches_numpys_reference_data_for_word_sequences()
    {
        // numpy's test_seed_sequence.py reference rows (from the C++ seed_seq_fe reference).
        var sequence = new SeedSequence([3735928559u, 195939070u, 229505742u, 305419896u]);
        var state = new uint[4];
        var state64 = new ulong[2];

        sequence.GenerateState(state);
        sequence.GenerateState(state64);

        Assert.Equal([3914649087u, 576849849u, 3593928901u, 2229911004u], state);
        Assert.Equal([2477551240072187391UL, 9577394838764454085UL], state64);

        new SeedSequence([2766103236u, 2883057919u, 4029656435u, 862374500u]).GenerateState(state);
        Assert.Equal([296367413u, 4262059219u, 13109864u, 3283683422u], state);
    }

    [Fact]
    public void An_integer_seed_is_split_into_words_lowest_first()
    {
        var state = new uint[4];
        new SeedSequence(42).GenerateState(state);
        Assert.Equal([3444837047u, 2669555309u, 2046530742u, 3581440988u], state);

        var shifted = new uint[4];
        new SeedSequence(42UL << 32).GenerateState(shifted);
        Assert.NotEqual(state, shifted);
        Assert.Equal(new SeedSequence([0u, 42u]).Pool.ToArray(), new SeedSequence(42UL << 32).Pool.ToArray());
        Assert.Equal(new SeedSequence([0u, 42u]).Pool.ToArray(), new SeedSequence(new BigInteger(42UL << 32)).Pool.ToArray());
    }

    [Fact]
    public void Zero_is_one_zero_word_and_negative_integers_are_refused()
    {
        Assert.Equal(new SeedSequence([0u]).Pool.ToArray(), new SeedSequence(0).Pool.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeedSequence(BigInteger.MinusOne));
    }
}
