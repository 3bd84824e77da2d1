using PipeRL.Agents.Sac;

namespace PipeRL.Agents.Tests.Sac;

public sealed class DiscreteSacLossTests
{
    [Fact]
    public void ActorLossAndGradientMatchHandComputedValues()
    {
        // π = [1/4, 3/4], min Q = [1, 0], α = ½: f = [½ ln ¼ - 1, ½ ln ¾], loss = Σ π f = -0.531168,
        // gradient π_j (f_j - loss) = [-0.290495, 0.290495].
        var grad = new float[2];
        var loss = DiscreteSacLoss.Actor([0f, MathF.Log(3f)], [1f, 2f], [2f, 0f], 2, 0.5f, grad);
        Assert.Equal(-0.531168f, loss, 1e-5f);
        Assert.Equal(-0.290495f, grad[0], 1e-5f);
        Assert.Equal(0.290495f, grad[1], 1e-5f);
    }

    [Fact]
    public void ActorGradientMatchesFiniteDifferencesOverABatch()
    {
        float[] logits = [0.2f, -1f, 0.7f, 1.5f, 0.1f, -0.3f];
        float[] q1 = [1f, 0.5f, -2f, 0.3f, 0.9f, 1.1f];
        float[] q2 = [0.8f, 0.6f, -1f, 0.2f, 1.2f, 0.4f];
        var grad = new float[6];
        DiscreteSacLoss.Actor(logits, q1, q2, 3, 0.3f, grad);
        var scratch = new float[6];
        const float h = 1e-2f;
        for (var k = 0; k < logits.Length; k++)
        {
            var up = (float[])logits.Clone();
            var down = (float[])logits.Clone();
            up[k] += h;
            down[k] -= h;
            var numeric = (DiscreteSacLoss.Actor(up, q1, q2, 3, 0.3f, scratch) - DiscreteSacLoss.Actor(down, q1, q2, 3, 0.3f, scratch)) / (2 * h);
            Assert.Equal(numeric, grad[k], 3);
        }
    }

    [Fact]
    public void MisshapenInputsAreRejected()
    {
        var grad = new float[4];
        Assert.Throws<ArgumentException>(() => DiscreteSacLoss.Actor(new float[4], new float[4], new float[3], 2, 0.1f, grad));
        Assert.Throws<ArgumentException>(() => DiscreteSacLoss.Actor(new float[4], new float[4], new float[4], 3, 0.1f, new float[4]));
    }
}
