using PipeRL.Agents.Sac;

namespace PipeRL.Agents.Tests.Sac;

public sealed class SoftQTargetTests
{
    [Fact]
    public void ContinuousTargetUsesTheSmallerQMinusTheEntropyTerm()
    {
        // y0 = 1 + 0.9 (min(3, 4) - 0.2 (-1)) = 3.88; y1 is terminal: just the reward.
        var y = new float[2];
        SoftQTarget.Continuous([1f, 2f], [false, true], [3f, 5f], [4f, 1f], [-1f, 0.5f], 0.2f, 0.9f, y);
        Assert.Equal(3.88f, y[0], 5);
        Assert.Equal(2f, y[1]);
    }

    [Fact]
    public void TruncationBootstrapsUnlessTreatedAsTerminal()
    {
        // The same cut transition: PipeRL passes done = terminated (false), the authors' handling done = true.
        var bootstrapped = new float[1];
        var terminal = new float[1];
        SoftQTarget.Continuous([1f], [false], [10f], [10f], [0f], 0.2f, 0.5f, bootstrapped);
        SoftQTarget.Continuous([1f], [true], [10f], [10f], [0f], 0.2f, 0.5f, terminal);
        Assert.Equal(6f, bootstrapped[0]);
        Assert.Equal(1f, terminal[0]);
    }

    [Fact]
    public void DiscreteTargetIsTheExpectationOverThePolicy()
    {
        // π = [1/4, 3/4]; min Q = [1, 0]; V = ¼ (1 - ½ ln ¼) + ¾ (0 - ½ ln ¾) = 0.531168; y = 1 + 0.9 V.
        var y = new float[2];
        float[] logits = [0f, MathF.Log(3f), 5f, -5f];
        float[] q1 = [1f, 2f, 7f, 7f];
        float[] q2 = [2f, 0f, 7f, 7f];
        SoftQTarget.Discrete([1f, -1f], [false, true], logits, q1, q2, 2, 0.5f, 0.9f, y);
        Assert.Equal(1.4780512f, y[0], 5);
        Assert.Equal(-1f, y[1]);
    }

    [Fact]
    public void MismatchedSpansAreRejected()
    {
        var y = new float[2];
        Assert.Throws<ArgumentException>(() => SoftQTarget.Continuous([1f, 2f], [false], [1f, 1f], [1f, 1f], [0f, 0f], 0.1f, 0.9f, y));
        Assert.Throws<ArgumentException>(() => SoftQTarget.Discrete([1f, 2f], [false, false], new float[3], new float[4], new float[4], 2, 0.1f, 0.9f, y));
    }
}
