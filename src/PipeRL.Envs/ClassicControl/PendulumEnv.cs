namespace PipeRL.Envs.ClassicControl;

/// <summary>
/// Gymnasium's <c>Pendulum-v1</c>: torque-limited swing-up, observation (cos θ, sin θ, θ̇), reward
/// −(θ² + 0.1·θ̇² + 0.001·u²) with θ normalised to [−π, π), never terminated, truncated at 200 steps.
/// </summary>
public sealed class PendulumEnv : IEnv, IStatefulEnv
{
    /// <summary>The registered id.</summary>
    public const string EnvId = "classic/pendulum";

    /// <summary>The episode step limit of <c>Pendulum-v1</c>.</summary>
    public const int MaxEpisodeSteps = 200;

    private const double MaxSpeed = 8.0;
    private const double MaxTorque = 2.0;
    private const double Dt = 0.05;
    private const double Gravity = 10.0;
    private const double Mass = 1.0;
    private const double Length = 1.0;
    private const int StateVersion = 1;

    private readonly NumpyRandomState _random;
    private double _theta;
    private double _thetaDot;
    private int _elapsed;
    private bool _needsReset = true;

    /// <summary>Creates the env with its random source seeded by <paramref name="seed"/>.</summary>
    public PendulumEnv(uint seed = 0) => _random = new NumpyRandomState(seed);

    /// <inheritdoc/>
    public string Id => EnvId;

    /// <inheritdoc/>
    public BoxSpace ObservationSpace { get; } = new([3], [-1f, -1f, -(float)MaxSpeed], [1f, 1f, (float)MaxSpeed]);

    /// <inheritdoc/>
    public Space ActionSpace { get; } = new BoxSpace([1], -(float)MaxTorque, (float)MaxTorque);

    /// <inheritdoc/>
    public EnvInfo Info { get; } = new();

    /// <summary>The angle θ (0 = upright) and angular velocity θ̇.</summary>
    public (double Theta, double ThetaDot) State => (_theta, _thetaDot);

    /// <summary>Sets the state directly (for tests and demonstrations); the episode clock restarts.</summary>
    public void SetState(double theta, double thetaDot)
    {
        (_theta, _thetaDot) = (theta, thetaDot);
        _elapsed = 0;
        _needsReset = false;
    }

    /// <summary>Python's <c>((x + π) % 2π) − π</c>: the angle in [−π, π).</summary>
    public static double NormalizeAngle(double x)
    {
        var r = (x + Math.PI) % (2 * Math.PI);
        return (r < 0 ? r + (2 * Math.PI) : r) - Math.PI;
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

        _theta = _random.Uniform(-Math.PI, Math.PI);
        _thetaDot = _random.Uniform(-1.0, 1.0);
        _elapsed = 0;
        _needsReset = false;
        Write(observation);
    }

    /// <inheritdoc/>
    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (_needsReset)
        {
            throw new InvalidOperationException("Pendulum: call Reset before Step (and after an episode ends).");
        }

        if (action.Length != 1 || float.IsNaN(action[0]))
        {
            throw new ArgumentException($"Pendulum takes one torque value, got {action.Length} values.", nameof(action));
        }

        CheckObservation(observation);

        // Out-of-range torques are clipped, as Gymnasium does.
        double u = Math.Clamp(action[0], -(float)MaxTorque, (float)MaxTorque);
        var angle = NormalizeAngle(_theta);
        var cost = (angle * angle) + (0.1 * _thetaDot * _thetaDot) + (0.001 * u * u);
        var newThetaDot = _thetaDot + (((3 * Gravity / (2 * Length) * Math.Sin(_theta)) + (3.0 / (Mass * Length * Length) * u)) * Dt);
        newThetaDot = Math.Clamp(newThetaDot, -MaxSpeed, MaxSpeed);
        _theta += newThetaDot * Dt;
        _thetaDot = newThetaDot;
        _elapsed++;
        var truncated = _elapsed >= MaxEpisodeSteps;
        _needsReset = truncated;
        Write(observation);
        return new StepResult(-cost, false, truncated);
    }

    private static void CheckObservation(Span<float> observation)
    {
        if (observation.Length != 3)
        {
            throw new ArgumentException($"Pendulum writes 3 observation floats; the buffer has {observation.Length}.", nameof(observation));
        }
    }

    /// <inheritdoc/>
    public void WriteState(BinaryWriter writer)
    {
        writer.WriteHeader(Id, StateVersion);
        writer.WriteArray([_theta, _thetaDot]);
        writer.Write(_elapsed);
        writer.Write(_needsReset);
        _random.WriteState(writer);
    }

    /// <inheritdoc/>
    public void ReadState(BinaryReader reader)
    {
        reader.ReadHeader(Id, StateVersion);
        Span<double> angle = stackalloc double[2];
        reader.ReadArray(angle);
        (_theta, _thetaDot) = (angle[0], angle[1]);
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
        observation[0] = (float)Math.Cos(_theta);
        observation[1] = (float)Math.Sin(_theta);
        observation[2] = (float)_thetaDot;
    }
}
