namespace PipeRL.Envs.Tests.Core;

/// <summary>An env whose every episode terminates on its <c>length</c>-th step; it observes the step within the episode.</summary>
internal sealed class FixedLengthEnv(int length) : IEnv
{
    private int _step;

    public string Id => "fixed-length";

    public BoxSpace ObservationSpace { get; } = new([1], 0f, 1_000f);

    public Space ActionSpace { get; } = new DiscreteSpace(2);

    public EnvInfo Info { get; } = new();

    public void Reset(Span<float> observation, int? seed = null)
    {
        _step = 0;
        observation[0] = 0;
    }

    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        observation[0] = ++_step;
        return new(1, _step == length, false);
    }

    public void Dispose()
    {
    }
}
