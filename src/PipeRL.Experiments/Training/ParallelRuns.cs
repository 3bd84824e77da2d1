namespace PipeRL.Experiments.Training;

/// <summary>Trains several prepared runs, a few at a time (each on its own thread), with every console line prefixed by its run.</summary>
public static class ParallelRuns
{
    /// <summary>
    /// Runs <paramref name="plans"/> into <paramref name="store"/>, <paramref name="parallel"/> at a time; each line a
    /// run prints is prefixed with <paramref name="label"/> of its plan. Returns the results in plan order.
    /// </summary>
    public static TrainResult[] Run(IReadOnlyList<TrainPlan> plans, Runs.RunStore store, TextWriter console, int parallel, Func<TrainPlan, string> label)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(label);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        var results = new TrainResult[plans.Count];
        var gate = new object();
        var width = plans.Count == 0 ? 0 : plans.Max(p => label(p).Length);
        using var slots = new SemaphoreSlim(parallel);
        var tasks = plans.Select((plan, i) => Task.Run(() =>
        {
            slots.Wait();
            try
            {
                using var writer = new PrefixedWriter(console, $"[{label(plan).PadRight(width)}] ", gate);
                results[i] = plan.Run(store, writer);
            }
            finally
            {
                slots.Release();
            }
        })).ToArray();
        Task.WaitAll(tasks);
        return results;
    }
}
