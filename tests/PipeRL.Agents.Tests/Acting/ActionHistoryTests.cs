using PipeRL.Agents.Acting;

namespace PipeRL.Agents.Tests.Acting;

public sealed class ActionHistoryTests
{
    [Fact]
    public void KeepsTheLastKActionsOneHotOldestFirst()
    {
        var h = new ActionHistory(numEnvs: 2, length: 2, actionWidth: 3, discrete: true);
        var input = new float[2 + h.Width];
        h.Push(1, [2f]);
        h.Push(1, [0f]);
        h.Push(1, [1f]);
        h.WriteInput(1, [7f, 8f], input);
        Assert.Equal([7f, 8f, 1f, 0f, 0f, 0f, 1f, 0f], input);
        h.WriteInput(0, [5f, 6f], input);
        Assert.Equal([5f, 6f, 0f, 0f, 0f, 0f, 0f, 0f], input);
    }

    [Fact]
    public void ClearStartsTheEpisodeWithZeros()
    {
        var h = new ActionHistory(1, 1, 2, discrete: false);
        h.Push(0, [0.5f, -1f]);
        var input = new float[3];
        h.WriteInput(0, [9f], input);
        Assert.Equal([9f, 0.5f, -1f], input);
        h.Clear(0);
        h.WriteInput(0, [9f], input);
        Assert.Equal([9f, 0f, 0f], input);
    }

    [Fact]
    public void ZeroLengthAddsNothing()
    {
        var h = new ActionHistory(1, 0, 4, discrete: true);
        h.Push(0, [3f]);
        var input = new float[2];
        h.WriteInput(0, [1f, 2f], input);
        Assert.Equal([1f, 2f], input);
        Assert.Equal(0, h.Width);
    }
}
