using PipeRL.Envs.Tests.Core;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.Wrappers;

namespace PipeRL.Envs.Tests.Wrappers;

public sealed class LastActionsTests
{
    private static readonly int[] Decisions = [1, 1, 0, 1, 0, 0, 1, 1];

    private static float[] OneHots(IEnumerable<int?> actions) =>
        [.. actions.SelectMany(a => a is { } i ? (i == 0 ? new[] { 1f, 0f } : [0f, 1f]) : [0f, 0f])];

    private static IEnumerable<int?> LastK(List<int> actions, int k) =>
        Enumerable.Range(actions.Count - k, k).Select(i => i >= 0 ? (int?)actions[i] : null);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void AuthorsWindowListsTheAppliedActionsAfterThePlainTrajectory(int k)
    {
        using var plain = new CartPoleEnv();
        using var wrapped = new LastActions(new CartPoleEnv(), k, ActionHistoryWindow.Authors);
        var p = new float[4];
        var w = new float[4 + (2 * k)];
        plain.Reset(p, seed: 3);
        wrapped.Reset(w, seed: 3);
        Assert.Equal(p, w[..4]);
        Assert.All(w[4..], v => Assert.Equal(0f, v));
        var applied = new List<int>();
        foreach (var a in Decisions)
        {
            var rp = plain.Step(a, p);
            var rw = wrapped.Step(a, w);
            applied.Add(a);

            Assert.Equal(rp, rw);
            Assert.Equal(p, w[..4]);
            Assert.Equal(OneHots(LastK(applied, k)), w[4..]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void PendingWindowIsThePlainTrajectoryShiftedByOneAction(int k)
    {
        using var plain = new CartPoleEnv();
        using var wrapped = new LastActions(new CartPoleEnv(), k, ActionHistoryWindow.IncludingPending, initialAction: [1f]);
        var p = new float[4];
        var w = new float[4 + (2 * k)];
        plain.Reset(p, seed: 5);
        wrapped.Reset(w, seed: 5);
        var listed = new List<int> { 1 };
        Assert.Equal(OneHots(LastK(listed, k)), w[4..]);
        var previous = 1;
        foreach (var b in Decisions)
        {
            // The plain env applies the decision of the previous step (the initial action first).
            var rp = plain.Step(previous, p);
            var rw = wrapped.Step(b, w);
            listed.Add(b);
            previous = b;

            Assert.Equal(rp, rw);
            Assert.Equal(p, w[..4]);
            Assert.Equal(OneHots(LastK(listed, k)), w[4..]);
        }
    }

    [Fact]
    public void ContinuousActionsAreListedAsTheyAreWithTheirBounds()
    {
        using var wrapped = new LastActions(new PendulumEnv(), 2, ActionHistoryWindow.Authors);
        var obs = new float[3 + 2];
        wrapped.Reset(obs, seed: 1);
        wrapped.Step([0.5f], obs);
        wrapped.Step([-1.5f], obs);

        Assert.Equal([0.5f, -1.5f], obs[3..]);
        Assert.Equal(-2f, wrapped.ObservationSpace.Low[3]);
        Assert.Equal(2f, wrapped.ObservationSpace.High[4]);
        Assert.Equal([5], wrapped.ObservationSpace.Shape);
    }

    [Fact]
    public void ResetForgetsTheHistory()
    {
        using var wrapped = new LastActions(new CartPoleEnv(), 2, ActionHistoryWindow.Authors);
        var obs = new float[8];
        wrapped.Reset(obs, seed: 1);
        wrapped.Step(1, obs);
        wrapped.Reset(obs, seed: 2);

        Assert.All(obs[4..], v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(ActionHistoryWindow.IncludingPending)]
    [InlineData(ActionHistoryWindow.Authors)]
    public void ACopyThatReadsTheStateContinuesExactly(ActionHistoryWindow window)
    {
        using var original = new LastActions(new CartPoleEnv(4), 3, window);
        using var copy = new LastActions(new CartPoleEnv(40), 3, window);
        original.Reset(new float[original.ObservationSpace.FlatSize]);
        copy.Reset(new float[copy.ObservationSpace.FlatSize]);
        StateContinuation.Run(original, 7, actionSeed: 1);
        Assert.True(StateContinuation.AssertContinuesAlike(original, copy, 300) > 0);
    }
}
