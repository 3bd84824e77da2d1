namespace PipeRL.Tensors.Optim;

/// <summary>
/// A value annealed linearly from <see cref="Start"/> to <see cref="End"/> over <see cref="Steps"/> steps, then held
/// (CleanRL's learning-rate annealing: <c>lr = schedule.ValueAt(update)</c>).
/// </summary>
public sealed class LinearSchedule
{
    /// <summary>Creates the schedule.</summary>
    public LinearSchedule(double start, double end, long steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        Start = start;
        End = end;
        Steps = steps;
    }

    /// <summary>Value at step 0.</summary>
    public double Start { get; }

    /// <summary>Value from <see cref="Steps"/> on.</summary>
    public double End { get; }

    /// <summary>Length of the ramp.</summary>
    public long Steps { get; }

    /// <summary>The value after <paramref name="step"/> steps (clamped to the ramp).</summary>
    public double ValueAt(long step)
    {
        double fraction = Math.Clamp((double)step / Steps, 0.0, 1.0);
        return Start + ((End - Start) * fraction);
    }
}
