namespace PipeRL.Envs.Tests.Core;

/// <summary>An env without <see cref="IStatefulEnv"/>: one step of nothing.</summary>
internal sealed class StatelessEnv : IEnv
{
    public string Id => "stateless";

    public BoxSpace ObservationSpace { get; } = new([1], 0f, 1f);

    public Space ActionSpace { get; } = new DiscreteSpace(2);

    public EnvInfo Info { get; } = new();

    public void Reset(Span<float> observation, int? seed = null) => observation.Clear();

    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation) => new(0, true, false);

    public void Dispose()
    {
    }
}
