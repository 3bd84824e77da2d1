namespace PipeRL.Agents.Ppo;

/// <summary>CleanRL's linear learning-rate anneal to zero over the updates of a run.</summary>
public static class LearningRateSchedule
{
    /// <summary>The rate for update <paramref name="update"/> (1-based) of <paramref name="numUpdates"/>: <c>lr·(1 - (update-1)/numUpdates)</c>.</summary>
    public static float Linear(float initial, int update, int numUpdates)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numUpdates, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(update, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(update, numUpdates);
        var fraction = 1.0 - ((update - 1.0) / numUpdates);
        return (float)(fraction * initial);
    }
}
