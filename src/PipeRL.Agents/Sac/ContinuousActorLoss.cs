using PipeRL.Tensors;

namespace PipeRL.Agents.Sac;

/// <summary>
/// Continuous SAC's actor loss <c>mean_b(α log π(a_b|x_b) − min(Q₁, Q₂)(x_b, a_b))</c> with <c>a = tanh(μ + σ ε) · scale + bias</c>
/// reparameterised, and its gradient with respect to the actor's output rows: through the critics on a tape for
/// d min Q / da, then through the squashing by <see cref="SquashedGaussian.Backward"/>.
/// </summary>
public sealed class ContinuousActorLoss
{
    private readonly QNetwork _q1;
    private readonly QNetwork _q2;
    private readonly SquashedGaussianPolicy _policy;
    private readonly Tensor _actions;
    private readonly float[] _logProbs;
    private readonly float[] _seed;

    /// <summary>The loss over <paramref name="q1"/> and <paramref name="q2"/> for batches of <paramref name="batch"/> rows of <paramref name="policy"/>'s actions.</summary>
    public ContinuousActorLoss(QNetwork q1, QNetwork q2, SquashedGaussianPolicy policy, int batch)
    {
        ArgumentNullException.ThrowIfNull(q1);
        ArgumentNullException.ThrowIfNull(q2);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        (_q1, _q2, _policy, Batch) = (q1, q2, policy, batch);
        _actions = Tensor.Zeros(batch, policy.Dimensions);
        _logProbs = new float[batch];
        _seed = new float[batch];
        Array.Fill(_seed, -1f / batch);
    }

    /// <summary>Rows per batch.</summary>
    public int Batch { get; }

    /// <summary>The log-probabilities of the latest <see cref="Compute"/>'s actions.</summary>
    public ReadOnlySpan<float> LogProbs => _logProbs;

    /// <summary>
    /// Returns the loss for actor <paramref name="outputs"/> [B, 2·|A|] (means, raw log-stds) at critic
    /// <paramref name="inputs"/> [B, input] with standard-normal <paramref name="noise"/> [B, |A|], and writes
    /// d loss / d outputs into <paramref name="gradOutputs"/>. The critics are held fixed: their parameter gradients are
    /// neither computed nor changed.
    /// </summary>
    public float Compute(Tape tape, Tensor inputs, ReadOnlySpan<float> outputs, ReadOnlySpan<float> noise, float alpha, Span<float> gradOutputs)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(inputs);
        int b = Batch, dims = _policy.Dimensions, outSize = 2 * dims;
        if (outputs.Length != b * outSize || noise.Length != b * dims || gradOutputs.Length != outputs.Length)
        {
            throw new ArgumentException($"The actor loss takes {b} x {outSize} outputs and gradients and {b} x {dims} noise values.", nameof(outputs));
        }

        var actions = _actions.Span;
        for (var i = 0; i < b; i++)
        {
            var output = outputs.Slice(i * outSize, outSize);
            _logProbs[i] = SquashedGaussian.Sample(output[..dims], output[dims..], noise.Slice(i * dims, dims), _policy.Scale, _policy.Bias, actions.Slice(i * dims, dims));
        }

        tape.Reset();
        var a = tape.Input(_actions, requiresGrad: true);
        var x = tape.Input(inputs);
        var minQ = tape.Minimum(_q1.Forward(tape, x, a, frozen: true), _q2.Forward(tape, x, a, frozen: true));
        tape.Backward(minQ, _seed);
        var gradActions = a.Grad!.Span;
        var minQValues = minQ.Value.Span;
        var loss = 0.0;
        for (var i = 0; i < b; i++)
        {
            var output = outputs.Slice(i * outSize, outSize);
            var grad = gradOutputs.Slice(i * outSize, outSize);
            SquashedGaussian.Backward(output[..dims], output[dims..], noise.Slice(i * dims, dims), _policy.Scale, gradActions.Slice(i * dims, dims), alpha / b, grad[..dims], grad[dims..]);
            loss += (alpha * _logProbs[i]) - minQValues[i];
        }

        return (float)(loss / b);
    }
}
