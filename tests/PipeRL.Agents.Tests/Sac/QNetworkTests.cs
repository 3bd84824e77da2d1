using PipeRL.Agents.Sac;
using PipeRL.Tensors;

namespace PipeRL.Agents.Tests.Sac;

public sealed class QNetworkTests
{
    [Fact]
    public void AFrozenPassGivesTheSameValuesAndInputGradientsButNoWeightGradients()
    {
        var rng = new SeededRandom(3);
        var q = new QNetwork("q", [5], 5, 2, 1, NetworkSize.Small, rng);
        var inputs = Tensor.Zeros(4, 5);
        var actions = Tensor.Zeros(4, 2);
        rng.FillUniform(inputs.Span, -1, 1);
        rng.FillUniform(actions.Span, -1, 1);
        float[] seed = [1f, -2f, 0.5f, 3f];

        using var tape = new Tape();
        var a = tape.Input(actions, requiresGrad: true);
        var live = q.Forward(tape, tape.Input(inputs), a);
        tape.Backward(live, seed);
        var liveValues = live.Value.Span.ToArray();
        var liveGrad = a.Grad!.Span.ToArray();
        Assert.Contains(q.Parameters, p => p.Grad.Span.ToArray().Any(g => g != 0f));

        foreach (var p in q.Parameters)
        {
            p.ZeroGrad();
        }

        tape.Reset();
        a = tape.Input(actions, requiresGrad: true);
        var frozen = q.Forward(tape, tape.Input(inputs), a, frozen: true);
        tape.Backward(frozen, seed);
        Assert.Equal(liveValues, frozen.Value.Span.ToArray());
        var frozenGrad = a.Grad!.Span.ToArray();
        for (var i = 0; i < liveGrad.Length; i++)
        {
            Assert.Equal(liveGrad[i], frozenGrad[i], 1e-5f);
        }

        Assert.All(q.Parameters, p => Assert.All(p.Grad.Span.ToArray(), g => Assert.Equal(0f, g)));
    }

    [Fact]
    public void ImageObservationsTakeNoContinuousActions()
    {
        var error = Assert.Throws<ArgumentException>(() => new QNetwork("q", [4, 4, 2], 32, 3, 1, NetworkSize.Small, new SeededRandom(1)));
        Assert.Contains("discrete actions only", error.Message, StringComparison.Ordinal);
    }
}
