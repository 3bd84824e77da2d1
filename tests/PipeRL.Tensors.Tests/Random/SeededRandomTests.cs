namespace PipeRL.Tensors.Tests.Random;

public sealed class SeededRandomTests
{
    [Fact]
    public void SameSeedSameSequenceAndStateRestores()
    {
        var a = new SeededRandom(123);
        var b = new SeededRandom(123);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
        }

        var state = a.GetState();
        double x = a.NextGaussian();
        a.SetState(state);
        Assert.Equal(x, a.NextGaussian());
        Assert.NotEqual(new SeededRandom(124).NextUInt64(), new SeededRandom(123).NextUInt64());
    }

    [Fact]
    public void TheStateWithThePendingGaussianContinuesTheNormalSequenceMidPair()
    {
        var a = new SeededRandom(5);
        a.NextGaussian();
        var (state, pending) = (a.GetState(), a.PendingGaussian);
        Assert.NotNull(pending);
        var expected = new[] { a.NextGaussian(), a.NextGaussian(), a.NextGaussian() };

        var b = new SeededRandom(77);
        b.NextGaussian();
        b.SetState(state);
        Assert.Null(b.PendingGaussian);
        b.PendingGaussian = pending;
        Assert.Equal(expected, new[] { b.NextGaussian(), b.NextGaussian(), b.NextGaussian() });
    }

    [Fact]
    public void GaussianMomentsAndUniformRange()
    {
        var rng = new SeededRandom(9);
        const int n = 200_000;
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++)
        {
            double g = rng.NextGaussian();
            sum += g;
            sumSq += g * g;
        }

        Assert.InRange(sum / n, -0.01, 0.01);
        Assert.InRange(sumSq / n, 0.985, 1.015);
        for (int i = 0; i < 1000; i++)
        {
            Assert.InRange(rng.NextDouble(), 0.0, 0.9999999999);
            Assert.InRange(rng.NextInt(7), 0, 6);
        }
    }

    [Fact]
    public void NextIntIsUniform()
    {
        var rng = new SeededRandom(1);
        var counts = new int[5];
        for (int i = 0; i < 50_000; i++)
        {
            counts[rng.NextInt(5)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_700, 10_300));
    }
}
