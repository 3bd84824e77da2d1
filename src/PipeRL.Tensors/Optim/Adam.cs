using System.Runtime.Intrinsics;

namespace PipeRL.Tensors.Optim;

/// <summary>
/// Adam with <c>torch.optim.Adam</c>'s exact update (non-fused, single-tensor path): m ← m + (1−β₁)(g − m);
/// v ← β₂v + (1−β₂)g²; p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε). Optional L2 weight decay as PyTorch's
/// <c>weight_decay</c> (added to the gradient).
/// </summary>
/// <remarks>
/// <c>var adam = new Adam(model.Parameters, lr: 3e-4f);</c> then per step: <c>adam.ZeroGrad(); tape.Backward(loss);
/// adam.Step();</c>. Change <see cref="LearningRate"/> between steps for schedules.
/// </remarks>
public sealed class Adam
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _m;
    private readonly Tensor[] _v;

    /// <summary>Creates the optimizer over <paramref name="parameters"/> with PyTorch's defaults.</summary>
    public Adam(IEnumerable<Parameter> parameters, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0f)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        if (_parameters.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != _parameters.Length)
        {
            throw new ArgumentException("Adam: parameter names must be unique (checkpoints store optimizer state by name).", nameof(parameters));
        }

        if (!(lr >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0) || !(weightDecay >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(lr), $"Adam: invalid hyperparameters lr={lr}, betas=({beta1}, {beta2}), eps={eps}, weight_decay={weightDecay}.");
        }

        _m = [.. _parameters.Select(p => Tensor.Zeros(p.Shape))];
        _v = [.. _parameters.Select(p => Tensor.Zeros(p.Shape))];
        LearningRate = lr;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = eps;
        WeightDecay = weightDecay;
    }

    /// <summary>The parameters being optimised.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Learning rate used by the next <see cref="Step"/>.</summary>
    public float LearningRate { get; set; }

    /// <summary>β₁.</summary>
    public float Beta1 { get; }

    /// <summary>β₂.</summary>
    public float Beta2 { get; }

    /// <summary>ε, added outside the square root.</summary>
    public float Epsilon { get; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public float WeightDecay { get; }

    /// <summary>Number of steps taken (t in the bias corrections).</summary>
    public long StepCount { get; private set; }

    /// <summary>First-moment estimate of parameter <paramref name="index"/>.</summary>
    public Tensor FirstMoment(int index) => _m[index];

    /// <summary>Second-moment estimate of parameter <paramref name="index"/>.</summary>
    public Tensor SecondMoment(int index) => _v[index];

    /// <summary>Zeroes every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            p.ZeroGrad();
        }
    }

    /// <summary>Applies one update from the accumulated gradients.</summary>
    public void Step()
    {
        StepCount++;
        double bias1 = 1.0 - Math.Pow(Beta1, StepCount);
        double bias2 = 1.0 - Math.Pow(Beta2, StepCount);
        float stepSize = (float)(LearningRate / bias1);
        float bias2Sqrt = (float)Math.Sqrt(bias2);
        float oneMinusBeta1 = 1f - Beta1;
        float oneMinusBeta2 = 1f - Beta2;
        for (int p = 0; p < _parameters.Length; p++)
        {
            _parameters[p].MarkChanged();
            var value = _parameters[p].Value.Span;
            var grad = _parameters[p].Grad.Span;
            var m = _m[p].Span;
            var v = _v[p].Span;
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                // Same operations in the same order as the scalar loop below, so both give identical bits.
                var b2 = Vector256.Create(Beta2);
                var omb1 = Vector256.Create(oneMinusBeta1);
                var omb2 = Vector256.Create(oneMinusBeta2);
                var wd = Vector256.Create(WeightDecay);
                var b2s = Vector256.Create(bias2Sqrt);
                var eps = Vector256.Create(Epsilon);
                var step = Vector256.Create(stepSize);
                for (; i + 8 <= value.Length; i += 8)
                {
                    var pv = Vector256.Create(value.Slice(i, 8));
                    var g = Vector256.Create(grad.Slice(i, 8));
                    if (WeightDecay != 0f)
                    {
                        g += wd * pv;
                    }

                    var mv = Vector256.Create(m.Slice(i, 8));
                    mv += omb1 * (g - mv);
                    var vv = (Vector256.Create(v.Slice(i, 8)) * b2) + (omb2 * g * g);
                    var denom = (Vector256.Sqrt(vv) / b2s) + eps;
                    pv -= step * (mv / denom);
                    mv.CopyTo(m.Slice(i, 8));
                    vv.CopyTo(v.Slice(i, 8));
                    pv.CopyTo(value.Slice(i, 8));
                }
            }

            for (; i < value.Length; i++)
            {
                float g = WeightDecay == 0f ? grad[i] : grad[i] + (WeightDecay * value[i]);
                m[i] += oneMinusBeta1 * (g - m[i]);
                v[i] = (v[i] * Beta2) + (oneMinusBeta2 * g * g);
                float denom = (MathF.Sqrt(v[i]) / bias2Sqrt) + Epsilon;
                value[i] -= stepSize * (m[i] / denom);
            }
        }
    }

    /// <summary>Restores the step count (from a checkpoint).</summary>
    public void RestoreStepCount(long steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        StepCount = steps;
    }
}
