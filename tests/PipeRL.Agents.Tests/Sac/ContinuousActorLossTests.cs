using PipeRL.Agents.Sac;
using PipeRL.Envs;
using PipeRL.Tensors;

namespace PipeRL.Agents.Tests.Sac;

public sealed class ContinuousActorLossTests
{
    private const int Batch = 3;
    private const int Dims = 2;
    private const int InputSize = 4;

    private static (ContinuousActorLoss Loss, Tensor Inputs, float[] Noise) Setup()
    {
        var rng = new SeededRandom(11);
        var q1 = new QNetwork("q1", [InputSize], InputSize, Dims, 1, NetworkSize.Small, rng);
        var q2 = new QNetwork("q2", [InputSize], InputSize, Dims, 1, NetworkSize.Small, rng);
        var policy = new SquashedGaussianPolicy(new BoxSpace([Dims], [-1f, 0f], [1f, 3f]));
        var inputs = Tensor.Zeros(Batch, InputSize);
        rng.FillUniform(inputs.Span, -1, 1);
        var noise = new float[Batch * Dims];
        rng.FillGaussian(noise, 0, 1);
        return (new ContinuousActorLoss(q1, q2, policy, Batch), inputs, noise);
    }

    [Fact]
    public void GradientThroughTheCriticsMatchesFiniteDifferences()
    {
        var (loss, inputs, noise) = Setup();
        float[] outputs = [0.3f, -0.8f, 0.1f, -0.5f, -1.2f, 0.4f, 0.9f, 1.1f, 0.05f, 0.7f, -0.3f, -2f];
        var grad = new float[outputs.Length];
        using var tape = new Tape();
        const float alpha = 0.3f;
        loss.Compute(tape, inputs, outputs, noise, alpha, grad);
        var scratch = new float[outputs.Length];
        const float h = 1e-3f;
        for (var k = 0; k < outputs.Length; k++)
        {
            var up = (float[])outputs.Clone();
            var down = (float[])outputs.Clone();
            up[k] += h;
            down[k] -= h;
            var numeric = (loss.Compute(tape, inputs, up, noise, alpha, scratch) - loss.Compute(tape, inputs, down, noise, alpha, scratch)) / (2 * h);
            Assert.True(Math.Abs(numeric - grad[k]) <= 2e-3 + (0.02 * Math.Abs(numeric)), $"output {k}: analytic {grad[k]:E4}, numeric {numeric:E4}");
        }
    }

    [Fact]
    public void LossIsTheMeanOfAlphaLogProbMinusTheSmallerQ()
    {
        var (loss, inputs, noise) = Setup();
        var outputs = new float[Batch * 2 * Dims];
        using var tape = new Tape();
        var withAlpha = loss.Compute(tape, inputs, outputs, noise, 0.5f, new float[outputs.Length]);
        var logProbMean = loss.LogProbs.ToArray().Average();
        var withoutAlpha = loss.Compute(tape, inputs, outputs, noise, 0f, new float[outputs.Length]);
        Assert.Equal(withoutAlpha + (0.5f * logProbMean), withAlpha, 1e-5f);
    }
}
