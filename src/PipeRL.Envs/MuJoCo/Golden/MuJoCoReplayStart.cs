namespace PipeRL.Envs.MuJoCo.Golden;

/// <summary>How each episode of a MuJoCo golden trace is started (the golden README, "Injecting a start state").</summary>
public enum MuJoCoReplayStart
{
    /// <summary>The recorded start state is injected (<c>mj_resetData</c>, copy, <c>mj_forward</c>); checks the physics, rewards and observations.</summary>
    InjectedState,

    /// <summary>The env resets itself with the recorded seed; checks numpy's generator and the reset's draws too.</summary>
    SeededReset,
}
