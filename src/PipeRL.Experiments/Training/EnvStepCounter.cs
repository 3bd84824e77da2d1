using PipeRL.Envs;

namespace PipeRL.Experiments.Training;

/// <summary>
/// A vector env that counts the environment steps taken (<see cref="IVectorEnv.LastEnvSteps"/>), so a run reports those
/// rather than ticks × k, which overcounts when episodes end inside an action repeat; its state is the inner env's.
/// </summary>
internal sealed class EnvStepCounter(IVectorEnv inner) : IVectorEnv, IStatefulEnv
{
    /// <summary>Environment steps taken over all sub-envs; a checkpoint saves it beside the env's state.</summary>
    public long EnvSteps { get; set; }

    public int NumEnvs => inner.NumEnvs;

    public BoxSpace SingleObservationSpace => inner.SingleObservationSpace;

    public Space SingleActionSpace => inner.SingleActionSpace;

    public AutoresetMode AutoresetMode => inner.AutoresetMode;

    public int LastEnvSteps => inner.LastEnvSteps;

    public void Reset(Span<float> observations, int? seed = null) => inner.Reset(observations, seed);

    public void Step(ReadOnlySpan<float> actions, Span<float> observations, Span<double> rewards, Span<bool> terminated, Span<bool> truncated)
    {
        inner.Step(actions, observations, rewards, terminated, truncated);
        EnvSteps += inner.LastEnvSteps;
    }

    public ReadOnlySpan<float> FinalObservation(int env) => inner.FinalObservation(env);

    public void WriteState(BinaryWriter writer) => Stateful.WriteState(writer);

    public void ReadState(BinaryReader reader) => Stateful.ReadState(reader);

    public void Dispose() => inner.Dispose();

    private IStatefulEnv Stateful => inner as IStatefulEnv
        ?? throw new NotSupportedException($"The vector env ({inner.GetType().Name}) cannot save its state, so a checkpoint could not continue the run exactly.");
}
