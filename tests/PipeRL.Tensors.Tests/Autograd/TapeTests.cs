using PipeRL.Tensors.Optim;
using PipeRL.Tensors.Tests.Support;
using PipeRL.Tests;

namespace PipeRL.Tensors.Tests.Autograd;

public sealed class TapeTests
{
    // Whole networks in float against double finite differences: relative error bound 2e-4.
    private const double Tolerance = 2e-4;

    [Fact]
    public void WholeMlpGradients()
    {
        var mlp = new Mlp("mlp", [5, 8, 7, 3], Activation.Tanh, new SeededRandom(1));
        var x = GradCheck.Random(new Shape(4, 5), 2);
        GradCheck.Check(
            [x],
            [.. mlp.Parameters],
            (t, v) => mlp.Forward(t, v[0]),
            a =>
            {
                var h = Reference.Map(Reference.Linear(a[0], a[1], a[2], 4, 5, 8), Math.Tanh);
                h = Reference.Map(Reference.Linear(h, a[3], a[4], 4, 8, 7), Math.Tanh);
                return Reference.Linear(h, a[5], a[6], 4, 7, 3);
            },
            Tolerance);
    }

    [Fact]
    public void WholeCnnGradients()
    {
        var rng = new SeededRandom(3);
        var conv = new Conv2d("conv", 2, 3, 3, rng, 1, 1);
        var fc = new Linear("fc", 4 * 4 * 3, 5, rng);
        var head = new Linear("head", 5, 2, rng);
        var x = GradCheck.Random(new Shape(2, 4, 4, 2), 4);
        GradCheck.Check(
            [x],
            [.. conv.Parameters, .. fc.Parameters, .. head.Parameters],
            (t, v) =>
            {
                var h = t.Relu(conv.Forward(t, v[0]));
                h = t.Relu(fc.Forward(t, t.Reshape(h, new Shape(2, 48))));
                return head.Forward(t, h);
            },
            a =>
            {
                var h = Reference.Map(Reference.Conv2d(a[0], a[1], a[2], 2, 4, 4, 2, 3, 3, 1, 1), z => Math.Max(z, 0));
                h = Reference.Map(Reference.Linear(h, a[3], a[4], 2, 48, 5), z => Math.Max(z, 0));
                return Reference.Linear(h, a[5], a[6], 2, 5, 2);
            },
            Tolerance);
    }

    [Fact]
    public void UnrolledPipelineAccumulatesIntoSharedParameters()
    {
        // A 2-layer pipeline over T = 4 ticks: v1(t) = tanh(L1(x_t)), v2(t) = L2(v1(t-1)); every tick reuses L1 and L2.
        const int ticks = 4;
        var rng = new SeededRandom(5);
        var l1 = new Linear("l1", 3, 4, rng);
        var l2 = new Linear("l2", 4, 2, rng);
        var xs = GradCheck.Random(new Shape(ticks, 3), 6);
        GradCheck.Check(
            [xs],
            [.. l1.Parameters, .. l2.Parameters],
            (t, v) =>
            {
                var v1 = t.Input(Tensor.Zeros(1, 4));
                var outputs = new Var[ticks];
                for (int k = 0; k < ticks; k++)
                {
                    var x = t.Slice(t.Reshape(v[0], new Shape(1, ticks * 3)), k * 3, 3);
                    var v2 = l2.Forward(t, v1);
                    v1 = t.Tanh(l1.Forward(t, x));
                    outputs[k] = v2;
                }

                return t.Concat(outputs);
            },
            a =>
            {
                var v1 = new double[4];
                var y = new List<double>();
                for (int k = 0; k < ticks; k++)
                {
                    y.AddRange(Reference.Linear(v1, a[3], a[4], 1, 4, 2));
                    v1 = Reference.Map(Reference.Linear([.. a[0].Skip(k * 3).Take(3)], a[1], a[2], 1, 3, 4), Math.Tanh);
                }

                return [.. y];
            },
            Tolerance);
    }

    [Fact]
    public void PpoLossFromOpsGradients()
    {
        const int n = 5, actions = 4;
        const float clip = 0.2f, entCoef = 0.01f;
        int[] act = [0, 3, 1, 1, 2];
        var logits = GradCheck.Random(new Shape(n, actions), 1, -2, 2);
        var oldLogp = GradCheck.Random(new Shape(n, 1), 2, -2.2, -0.8);
        var adv = GradCheck.Random(new Shape(n, 1), 3, -1, 1);
        GradCheck.Check(
            [logits],
            [],
            (t, v) =>
            {
                var logp = t.LogSoftmax(v[0]);
                var ratio = t.Exp(t.Gather(logp, act) - t.Input(oldLogp));
                var a = t.Input(adv);
                var surrogate = t.Minimum(ratio * a, t.Clamp(ratio, 1 - clip, 1 + clip) * a);
                var entropy = -t.SumLast(t.Softmax(v[0]) * logp);
                return -t.Mean(surrogate) - (entCoef * t.Mean(entropy));
            },
            x =>
            {
                var logp = TapeReduceTests.RefLogSoftmax(x[0], actions);
                double loss = 0, ent = 0;
                for (int r = 0; r < n; r++)
                {
                    double ratio = Math.Exp(logp[(r * actions) + act[r]] - oldLogp[r]);
                    loss -= Math.Min(ratio * adv[r], Math.Clamp(ratio, 1 - clip, 1 + clip) * adv[r]) / n;
                    for (int j = 0; j < actions; j++)
                    {
                        ent -= Math.Exp(logp[(r * actions) + j]) * logp[(r * actions) + j] / n;
                    }
                }

                return [loss - (entCoef * ent)];
            },
            Tolerance);
    }

    [Fact]
    public void SacSquashedGaussianLogProbFromOpsGradients()
    {
        const int n = 3, d = 2;
        var mu = GradCheck.Random(new Shape(n, d), 1);
        var logStd = GradCheck.Random(new Shape(n, d), 2, -1, 0.5);
        var eps = GradCheck.Random(new Shape(n, d), 3, -1.5, 1.5);
        float halfLog2Pi = (float)(0.5 * Math.Log(2 * Math.PI));
        GradCheck.Check(
            [mu, logStd],
            [],
            (t, v) =>
            {
                var std = t.Exp(v[1]);
                var u = v[0] + (std * t.Input(eps));
                var a = t.Tanh(u);
                var z = (u - v[0]) / std;
                var gaussian = t.SumLast((-0.5f * t.Square(z)) - v[1] - halfLog2Pi);
                var squash = t.SumLast(t.Log(1f - t.Square(a) + 1e-6f));
                return t.Concat(gaussian - squash, t.SumLast(a));
            },
            x =>
            {
                var y = new double[n * 2];
                for (int r = 0; r < n; r++)
                {
                    double lp = 0, sa = 0;
                    for (int j = 0; j < d; j++)
                    {
                        int i = (r * d) + j;
                        double std = Math.Exp(x[1][i]);
                        double u = x[0][i] + (std * eps[i]);
                        double a = Math.Tanh(u);
                        double z = (u - x[0][i]) / std;
                        lp += (-0.5 * z * z) - x[1][i] - halfLog2Pi - Math.Log(1 - (a * a) + 1e-6);
                        sa += a;
                    }

                    y[2 * r] = lp;
                    y[(2 * r) + 1] = sa;
                }

                return y;
            },
            Tolerance);
    }

    [Fact]
    public void ParameterUsedTwiceGetsTheSumOfBothGradients()
    {
        var p = new Parameter("p", new Shape(1));
        p.Value[0] = 3f;
        using var tape = new Tape();
        var a = tape.Param(p);
        var b = tape.Param(p);
        tape.Backward(a * b);
        Assert.Equal(6f, p.Grad[0]);
        tape.Backward(a * b);
        Assert.Equal(12f, p.Grad[0]);
    }

    [Fact]
    public void TrainingStepAllocatesNothingAfterWarmUp()
    {
        var rng = new SeededRandom(1);
        var mlp = new Mlp("mlp", [17, 64, 64, 6], Activation.Relu, rng);
        var adam = new Adam(mlp.Parameters);
        var x = GradCheck.Random(new Shape(32, 17), 2);
        var target = GradCheck.Random(new Shape(32, 6), 3);
        using var tape = new Tape();
        void Step()
        {
            tape.Reset();
            var loss = tape.MseLoss(mlp.Forward(tape, tape.Input(x)), tape.Input(target));
            adam.ZeroGrad();
            tape.Backward(loss);
            adam.Step();
        }

        // Past the runtime's tiered-compilation call counting (30 calls; later under load), whose bookkeeping may allocate once.
        for (int i = 0; i < 100; i++)
        {
            Step();
        }

        Assert.Equal(0, Allocation.InSteadyLoop(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                Step();
            }
        }));
    }

    [Fact]
    public void BatchOneInferenceAllocatesNothing()
    {
        var mlp = new Mlp("mlp", [17, 256, 256, 6], Activation.Relu, new SeededRandom(1));
        var obs = new float[17];
        var act = new float[6];

        // Warm-up includes the one allocation per weight version: the layers' streaming copies of W.
        for (int i = 0; i <= DotPanelCache.StableCalls; i++)
        {
            mlp.Infer(obs, act);
        }

        Assert.Equal(0, Allocation.InSteadyLoop(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                mlp.Infer(obs, act);
            }
        }));
    }

    [Fact]
    public void StaleVarAfterResetIsRefused()
    {
        using var tape = new Tape();
        var x = tape.Input(Tensor.Zeros(1, 2));
        tape.Reset();
        var ex = Assert.Throws<InvalidOperationException>(() => tape.Relu(x));
        Assert.Contains("stale", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BackwardFromNonScalarWithoutSeedIsRefused()
    {
        using var tape = new Tape();
        var x = tape.Input(Tensor.Zeros(2, 2), requiresGrad: true);
        var ex = Assert.Throws<ArgumentException>(() => tape.Backward(tape.Relu(x)));
        Assert.Contains("single-element", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DetachStopsTheGradient()
    {
        var p = new Parameter("p", new Shape(1));
        p.Value[0] = 2f;
        using var tape = new Tape();
        var a = tape.Param(p);
        tape.Backward(a * tape.Detach(a));
        Assert.Equal(2f, p.Grad[0]);
    }
}
