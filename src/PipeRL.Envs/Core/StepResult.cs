namespace PipeRL.Envs;

/// <summary>What one environment step returns besides the observation (written into the caller's buffer).</summary>
/// <param name="Reward">The raw environment reward of this step.</param>
/// <param name="Terminated">The episode ended inside the MDP (a terminal state was reached).</param>
/// <param name="Truncated">The episode was cut short from outside the MDP (a time limit).</param>
public readonly record struct StepResult(double Reward, bool Terminated, bool Truncated)
{
    /// <summary>The episode is over, for either reason; the env must be reset before the next step.</summary>
    public bool Done => Terminated || Truncated;
}
