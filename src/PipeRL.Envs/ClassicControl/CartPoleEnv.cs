namespace PipeRL.Envs.ClassicControl;

/// <summary>
/// Gymnasium's <c>CartPole-v1</c>: Euler-integrated cart-pole in double precision, reward 1 per step (the
/// terminating step included), terminated when |x| &gt; 2.4 or |θ| &gt; 12°, truncated at 500 steps.
/// </summary>
public sealed class CartPoleEnv : IEnv, IStatefulEnv
{
    /// <summary>The registered id.</summary>
    public const string EnvId = "classic/cartpole";

    /// <summary>The episode step limit of <c>CartPole-v1</c>.</summary>
    public const int MaxEpisodeSteps = 500;

    private const double Gravity = 9.8;
    private const double MassCart = 1.0;
    private const double MassPole = 0.1;
    private const double TotalMass = MassCart + MassPole;
    private const double HalfLength = 0.5;
    private const double PoleMassLength = MassPole * HalfLength;
    private const double ForceMag = 10.0;
    private const double Tau = 0.02;
    private const double XThreshold = 2.4;
    private const int StateVersion = 1;
    private static readonly double ThetaThreshold = 12 * 2 * Math.PI / 360;

    private readonly NumpyRandomState _random;
    private readonly double[] _state = new double[4];
    private int _elapsed;
    private bool _needsReset = true;

    /// <summary>Creates the env with its random source seeded by <paramref name="seed"/>.</summary>
    public CartPoleEnv(uint seed = 0)
    {
        _random = new NumpyRandomState(seed);
        var high = new[] { (float)(XThreshold * 2), float.MaxValue, (float)(ThetaThreshold * 2), float.MaxValue };
        ObservationSpace = new BoxSpace([4], [.. high.Select(h => -h)], high);
    }

    /// <inheritdoc/>
    public string Id => EnvId;

    /// <inheritdoc/>
    public BoxSpace ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace { get; } = new DiscreteSpace(2);

    /// <inheritdoc/>
    public EnvInfo Info { get; } = new();

    /// <summary>The state (x, ẋ, θ, θ̇) in double precision.</summary>
    public ReadOnlySpan<double> State => _state;

    /// <summary>Sets the state directly (for tests and demonstrations); the episode clock restarts.</summary>
    public void SetState(ReadOnlySpan<double> state)
    {
        state.CopyTo(_state);
        _elapsed = 0;
        _needsReset = false;
    }

    /// <inheritdoc/>
    public void Reset(Span<float> observation, int? seed = null)
    {
        CheckObservation(observation);
        if (seed is { } s)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(s, nameof(seed));
            _random.Seed((uint)s);
        }

        for (var i = 0; i < 4; i++)
        {
            _state[i] = _random.Uniform(-0.05, 0.05);
        }

        _elapsed = 0;
        _needsReset = false;
        Write(observation);
    }

    /// <inheritdoc/>
    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (_needsReset)
        {
            throw new InvalidOperationException("CartPole: call Reset before Step (and after an episode ends).");
        }

        if (action.Length != 1 || (action[0] != 0f && action[0] != 1f))
        {
            throw new ArgumentException($"CartPole takes one action 0 (push left) or 1 (push right), got [{string.Join(", ", action.ToArray())}].", nameof(action));
        }

        CheckObservation(observation);

        var (x, xDot, theta, thetaDot) = (_state[0], _state[1], _state[2], _state[3]);
        var force = action[0] == 1f ? ForceMag : -ForceMag;
        var cos = Math.Cos(theta);
        var sin = Math.Sin(theta);
        var temp = (force + (PoleMassLength * thetaDot * thetaDot * sin)) / TotalMass;
        var thetaAcc = ((Gravity * sin) - (cos * temp)) / (HalfLength * ((4.0 / 3.0) - (MassPole * cos * cos / TotalMass)));
        var xAcc = temp - (PoleMassLength * thetaAcc * cos / TotalMass);
        _state[0] = x + (Tau * xDot);
        _state[1] = xDot + (Tau * xAcc);
        _state[2] = theta + (Tau * thetaDot);
        _state[3] = thetaDot + (Tau * thetaAcc);

        var terminated = _state[0] < -XThreshold || _state[0] > XThreshold || _state[2] < -ThetaThreshold || _state[2] > ThetaThreshold;
        _elapsed++;
        var truncated = !terminated && _elapsed >= MaxEpisodeSteps;
        _needsReset = terminated || truncated;
        Write(observation);
        return new StepResult(1.0, terminated, truncated);
    }

    private static void CheckObservation(Span<float> observation)
    {
        if (observation.Length != 4)
        {
            throw new ArgumentException($"CartPole writes 4 observation floats; the buffer has {observation.Length}.", nameof(observation));
        }
    }

    /// <inheritdoc/>
    public void WriteState(BinaryWriter writer)
    {
        writer.WriteHeader(Id, StateVersion);
        writer.WriteArray(_state);
        writer.Write(_elapsed);
        writer.Write(_needsReset);
        _random.WriteState(writer);
    }

    /// <inheritdoc/>
    public void ReadState(BinaryReader reader)
    {
        reader.ReadHeader(Id, StateVersion);
        reader.ReadArray(_state);
        _elapsed = reader.ReadInt32(0, MaxEpisodeSteps, "an episode step count");
        _needsReset = reader.ReadBoolean();
        _random.ReadState(reader);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private void Write(Span<float> observation)
    {
        for (var i = 0; i < 4; i++)
        {
            observation[i] = (float)_state[i];
        }
    }
}
