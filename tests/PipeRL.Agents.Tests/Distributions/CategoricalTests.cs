using PipeRL.Agents.Distributions;

namespace PipeRL.Agents.Tests.Distributions;

public sealed class CategoricalTests
{
    private static readonly float[] Logits = [0f, MathF.Log(3f)];

    [Fact]
    public void LogSoftmaxAndEntropyMatchHandComputedValues()
    {
        var lp = new float[2];
        Categorical.LogSoftmax(Logits, lp);
        Assert.Equal(MathF.Log(0.25f), lp[0], 6);
        Assert.Equal(MathF.Log(0.75f), lp[1], 6);
        Assert.Equal(0.562335f, Categorical.Entropy(lp), 5);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.2499, 0)]
    [InlineData(0.2501, 1)]
    [InlineData(0.9999999, 1)]
    public void SampleInvertsTheCdf(double u, int expected)
    {
        var lp = new float[2];
        Categorical.LogSoftmax(Logits, lp);
        Assert.Equal(expected, Categorical.Sample(lp, u));
    }

    [Fact]
    public void BackwardMatchesFiniteDifferences()
    {
        double[] z = [0.3, -1.2, 0.8];
        const int action = 1;
        const double a = 0.7, b = -0.4;
        double Objective(double[] logits)
        {
            var max = logits.Max();
            var logSum = max + Math.Log(logits.Sum(v => Math.Exp(v - max)));
            var lps = logits.Select(v => v - logSum).ToArray();
            return (a * lps[action]) + (b * -lps.Sum(l => Math.Exp(l) * l));
        }

        var lpF = new float[3];
        Categorical.LogSoftmax(z.Select(v => (float)v).ToArray(), lpF);
        var grad = new float[3];
        Categorical.Backward(lpF, action, (float)a, (float)b, grad);
        for (var j = 0; j < 3; j++)
        {
            var plus = (double[])z.Clone();
            var minus = (double[])z.Clone();
            plus[j] += 1e-6;
            minus[j] -= 1e-6;
            Assert.Equal((Objective(plus) - Objective(minus)) / 2e-6, grad[j], 4);
        }
    }

    [Fact]
    public void ModeIsTheFirstLargestLogit() => Assert.Equal(1, Categorical.Mode([0f, 2f, 2f]));
}
