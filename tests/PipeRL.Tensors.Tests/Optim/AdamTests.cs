using PipeRL.Tensors.Optim;

namespace PipeRL.Tensors.Tests.Optim;

public sealed class AdamTests
{
    [Fact]
    public void ThreeStepsMatchHandComputedTorchUpdate()
    {
        // One scalar parameter p0 = 1, lr 0.1, betas (0.9, 0.999), eps 1e-8, gradients 0.5, -1.0, 2.0.
        // Hand computation in double of torch.optim.Adam: m_t, v_t, p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps).
        var p = new Parameter("p", new Shape(1));
        p.Value[0] = 1f;
        var adam = new Adam([p], lr: 0.1f);
        double[] grads = [0.5, -1.0, 2.0];
        double m = 0, v = 0, value = 1;
        for (int t = 1; t <= 3; t++)
        {
            p.Grad[0] = (float)grads[t - 1];
            adam.Step();
            m = (0.9 * m) + (0.1 * grads[t - 1]);
            v = (0.999 * v) + (0.001 * grads[t - 1] * grads[t - 1]);
            value -= 0.1 / (1 - Math.Pow(0.9, t)) * m / ((Math.Sqrt(v) / Math.Sqrt(1 - Math.Pow(0.999, t))) + 1e-8);
            Assert.Equal(value, p.Value[0], 6);
        }

        Assert.Equal(3, adam.StepCount);
    }

    [Fact]
    public void FirstStepIsLearningRateTimesSign()
    {
        var p = new Parameter("p", new Shape(2));
        p.Value.CopyFrom([1f, 1f]);
        p.Grad.CopyFrom([3f, -0.25f]);
        new Adam([p], lr: 0.01f).Step();
        Assert.Equal(0.99f, p.Value[0], 6);
        Assert.Equal(1.01f, p.Value[1], 6);
    }

    [Fact]
    public void EpsilonIsAddedOutsideTheSquareRoot()
    {
        // With g = 1e-6 and eps = 1e-6: bias-corrected sqrt(v) = 1e-6, so denominator 2e-6 and the step is lr/2.
        // Were eps inside the sqrt (sqrt(v + eps)), the step would be ~lr·1e-6/1e-3 = lr/1000.
        var p = new Parameter("p", new Shape(1));
        p.Grad[0] = 1e-6f;
        new Adam([p], lr: 1f, eps: 1e-6f).Step();
        Assert.Equal(-0.5f, p.Value[0], 4);
    }

    [Fact]
    public void WeightDecayAddsToTheGradient()
    {
        // g' = g + wd·p = 0 + 0.5·2 = 1 > 0, so the first step is -lr.
        var p = new Parameter("p", new Shape(1));
        p.Value[0] = 2f;
        new Adam([p], lr: 0.1f, weightDecay: 0.5f).Step();
        Assert.Equal(1.9f, p.Value[0], 6);
    }

    [Fact]
    public void VectorAndScalarLanesGiveIdenticalBits()
    {
        // 11 elements: 8 take the SIMD path and 3 the scalar tail; element i and i + 8 see the same gradients.
        var p = new Parameter("p", new Shape(11));
        var adam = new Adam([p], lr: 0.003f, weightDecay: 0.01f);
        var rng = new SeededRandom(4);
        for (int step = 0; step < 5; step++)
        {
            for (int i = 0; i < 8; i++)
            {
                float g = (float)rng.Uniform(-2, 2);
                p.Grad[i] = g;
                if (i < 3)
                {
                    p.Grad[i + 8] = g;
                }
            }

            adam.Step();
        }

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(p.Value[i]), BitConverter.SingleToInt32Bits(p.Value[i + 8]));
        }
    }

    [Fact]
    public void DuplicateNamesAreRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Adam([new Parameter("w", new Shape(1)), new Parameter("w", new Shape(2))]));
        Assert.Contains("unique", ex.Message, StringComparison.Ordinal);
    }
}
