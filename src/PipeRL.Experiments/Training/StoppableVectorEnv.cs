using PipeRL.Envs;

namespace PipeRL.Experiments.Training;

/// <summary>A vector env whose every step first checks a stop token, so a loop stepping it (an evaluation) ends within a tick of Ctrl-C.</summary>
internal sealed class StoppableVectorEnv(IVectorEnv inner, CancellationToken stop) : IVectorEnv
{
    public int NumEnvs => inner.NumEnvs;

    public BoxSpace SingleObservationSpace => inner.SingleObservationSpace;

    public Space SingleActionSpace => inner.SingleActionSpace;

    public AutoresetMode AutoresetMode => inner.AutoresetMode;

    public void Reset(Span<float> observations, int? seed = null)
    {
        stop.ThrowIfCancellationRequested();
        inner.Reset(observations, seed);
    }

    public void Step(ReadOnlySpan<float> actions, Span<float> observations, Span<double> rewards, Span<bool> terminated, Span<bool> truncated)
    {
        stop.ThrowIfCancellationRequested();
        inner.Step(actions, observations, rewards, terminated, truncated);
    }

    public ReadOnlySpan<float> FinalObservation(int env) => inner.FinalObservation(env);

    public int LastEnvSteps => inner.LastEnvSteps;

    public void Dispose() => inner.Dispose();
}
