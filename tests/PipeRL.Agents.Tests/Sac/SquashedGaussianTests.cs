using PipeRL.Agents.Sac;

namespace PipeRL.Agents.Tests.Sac;

public sealed class SquashedGaussianTests
{
    [Fact]
    public void LogStdMapsTheRawHeadIntoMinusFiveToTwo()
    {
        Assert.Equal(-1.5f, SquashedGaussian.LogStd(0f), 6);
        Assert.Equal(2f, SquashedGaussian.LogStd(30f), 6);
        Assert.Equal(-5f, SquashedGaussian.LogStd(-30f), 6);
        Assert.Equal(-5f + (3.5f * (MathF.Tanh(1f) + 1f)), SquashedGaussian.LogStd(1f), 6);
    }

    [Fact]
    public void SampleAndLogProbMatchHandComputedValues()
    {
        // Dimension 0: log σ = -1.5, u = e^-1.5, y = tanh(u) = 0.2194994; a = 2y + 0.5.
        // log p = -ε²/2 - log σ - ½ log 2π - log(2 (1 - y²) + 1e-6) = -0.5627069; dimension 1 adds -1.8650592.
        var action = new float[2];
        var logProb = SquashedGaussian.Sample([0f, 1f], [0f, 1f], [1f, -0.5f], [2f, 1f], [0.5f, 0f], action);
        Assert.Equal(0.9389989f, action[0], 5);
        Assert.Equal(-0.5398123f, action[1], 5);
        Assert.Equal(-2.4277661f, logProb, 4);
    }

    [Fact]
    public void TheCorrectionStaysFiniteWhereTanhSaturates()
    {
        var action = new float[1];
        var logProb = SquashedGaussian.Sample([40f], [0f], [0f], [1f], [0f], action);
        Assert.Equal(1f, action[0]);
        Assert.True(float.IsFinite(logProb));
        Assert.Equal(1.5f - (0.5f * MathF.Log(2f * MathF.PI)) - MathF.Log(1e-6f), logProb, 3);
    }

    [Fact]
    public void GreedyIsTheSquashedMean()
    {
        var action = new float[2];
        SquashedGaussian.Greedy([0.5f, -2f], [3f, 1f], [1f, 0f], action);
        Assert.Equal((3f * MathF.Tanh(0.5f)) + 1f, action[0], 6);
        Assert.Equal(MathF.Tanh(-2f), action[1], 6);
    }

    [Fact]
    public void BackwardMatchesFiniteDifferencesOfTheReparameterisedLoss()
    {
        // L = Σ_d w_d a_d + c log p with the noise held fixed.
        double[] mean = [0.3, -0.7, 1.2];
        double[] raw = [-0.4, 0.9, 0.1];
        float[] noise = [0.8f, -1.3f, 0.2f];
        float[] scale = [1f, 2f, 0.5f];
        float[] bias = [0f, 0.5f, -1f];
        float[] w = [0.6f, -1.1f, 2f];
        const float c = 0.35f;

        // The forward pass in double precision (its float version is checked against hand values above).
        double Loss(double[] m, double[] s)
        {
            var loss = 0.0;
            for (var d = 0; d < 3; d++)
            {
                var logStd = -5 + (3.5 * (Math.Tanh(s[d]) + 1));
                var y = Math.Tanh(m[d] + (Math.Exp(logStd) * noise[d]));
                var logProb = (-0.5 * noise[d] * noise[d]) - logStd - (0.5 * Math.Log(2 * Math.PI)) - Math.Log((scale[d] * (1 - (y * y))) + 1e-6);
                loss += (w[d] * ((y * scale[d]) + bias[d])) + (c * logProb);
            }

            return loss;
        }

        var gradMean = new float[3];
        var gradRaw = new float[3];
        SquashedGaussian.Backward([.. mean.Select(v => (float)v)], [.. raw.Select(v => (float)v)], noise, scale, w, c, gradMean, gradRaw);
        const double h = 1e-5;
        for (var d = 0; d < 3; d++)
        {
            var up = (double[])mean.Clone();
            var down = (double[])mean.Clone();
            up[d] += h;
            down[d] -= h;
            Assert.Equal((Loss(up, raw) - Loss(down, raw)) / (2 * h), gradMean[d], 1e-4 * Math.Max(1, Math.Abs(gradMean[d])));
            up = (double[])raw.Clone();
            down = (double[])raw.Clone();
            up[d] += h;
            down[d] -= h;
            Assert.Equal((Loss(mean, up) - Loss(mean, down)) / (2 * h), gradRaw[d], 1e-4 * Math.Max(1, Math.Abs(gradRaw[d])));
        }
    }
}
