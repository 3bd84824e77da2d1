using System.Numerics;

namespace PipeRL.Envs.Tests.Random;

public sealed class NumpyGeneratorTests
{
    [Fact]
    public void Random_matches_numpys_documented_values()
    {
        // numpy's docs: default_rng(12345).random() and default_rng(<128-bit entropy>).random().
        Assert.Equal(0.22733602246716966, new NumpyGenerator(12345).NextDouble());
        var entropy = BigInteger.Parse("122807528840384100672342137672332424406", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0.5363922081269535, new NumpyGenerator(new SeedSequence(entropy)).NextDouble());
    }

    [Theory]
    [InlineData(0UL, new[] { 0.12573022, -0.13210486, 0.64042265, 0.10490012, -0.53566937, 0.36159505, 1.30400005, 0.94708096, -0.70373524, -1.26542147 })]
    [InlineData(42UL, new[] { 0.30471708, -1.03998411, 0.7504512 })]
    public void Standard_normal_matches_what_numpy_prints(ulong seed, double[] printed)
    {
        var generator = new NumpyGenerator(seed);

        foreach (var expected in printed)
        {
            Assert.Equal(expected, generator.StandardNormal(), 8);
        }
    }

    [Fact]
    public void HalfCheetahs_reset_draws_are_gymnasiums_bit_for_bit()
    {
        // HalfCheetah-v4 reset(seed=0) in Gymnasium 0.29.1 / numpy 1.24: qpos0 (all 0) + uniform(-0.1, 0.1, 9),
        // then 0 + 0.1 * standard_normal(9); the values as its golden trace records them.
        double[] qposNoise = [0.027392337464290872, -0.04604265724722594, -0.09180529521276107, -0.09669447289429418, 0.06265404784005449, 0.08255111545554436, 0.021327155153435973, 0.045899312196799685, 0.008724998293084568];
        double[] qvel = [-0.12654214710460526, -0.06232744625373522, 0.00413259793472436, -0.23250307746388343, -0.021879166393254573, -0.12459109472530652, -0.07322673547034517, -0.054425898285730995, -0.031630015636915455];
        var generator = new NumpyGenerator(99);
        generator.Seed(0);

        Assert.Equal(qposNoise, qposNoise.Select(_ => 0.0 + generator.Uniform(-0.1, 0.1)));
        Assert.Equal(qvel, qvel.Select(_ => 0.0 + (0.1 * generator.StandardNormal())));
    }

    [Fact]
    public void The_normal_has_unit_variance_and_reaches_the_tail_beyond_the_last_strip()
    {
        var generator = new NumpyGenerator(2024);
        const int Draws = 1_000_000;
        double sum = 0, squares = 0;
        var tail = 0;
        for (var i = 0; i < Draws; i++)
        {
            var x = generator.StandardNormal();
            sum += x;
            squares += x * x;
            tail += Math.Abs(x) > 3.6541528853610088 ? 1 : 0;
        }

        Assert.InRange(sum / Draws, -0.005, 0.005);
        Assert.InRange(squares / Draws, 0.99, 1.01);

        // P(|x| > r) = 2.58e-4: about 258 of a million, binomial sd 16.
        Assert.InRange(tail, 190, 330);
    }

    [Fact]
    public void Uniform_refuses_a_reversed_or_infinite_range()
    {
        var generator = new NumpyGenerator(1);

        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Uniform(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Uniform(-double.MaxValue, double.MaxValue));
        Assert.Equal(0.25, generator.Uniform(0.25, 0.25));
    }

    [Fact]
    public void Log1p_keeps_the_bits_lost_in_1_plus_x()
    {
        Assert.True(CMath.IsNative || !OperatingSystem.IsLinux(), "glibc exports log1p; it should have been found");
        Assert.Equal(1e-20, CMath.Log1P(1e-20));
        Assert.Equal(1e-20, CMath.ManagedLog1P(1e-20));
        Assert.Equal(Math.Log(2), CMath.Log1P(1), 15);
        Assert.Equal(CMath.Log1P(-0.75), CMath.ManagedLog1P(-0.75), 15);
    }

    [Fact]
    public void AReadStateContinuesTheStream()
    {
        var original = new NumpyGenerator(5);
        original.StandardNormal();
        using var stream = new MemoryStream();
        original.WriteState(new BinaryWriter(stream));
        var copy = new NumpyGenerator(6);
        stream.Position = 0;
        copy.ReadState(new BinaryReader(stream));
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(original.StandardNormal(), copy.StandardNormal());
            Assert.Equal(original.Uniform(-1, 1), copy.Uniform(-1, 1));
        }
    }
}
