using PipeRL.Envs.MuJoCo.Native;

namespace PipeRL.Envs.MuJoCo;

/// <summary>
/// A Gymnasium v4 MuJoCo locomotion task (<c>MujocoEnv</c> plus the registration's 1000-step time limit): the raw
/// action is written to <c>ctrl</c> (MuJoCo clamps it; the control cost uses it unclipped), the physics runs
/// <c>frame_skip</c> steps followed by <c>mj_rnePostConstraint</c>, and a reset adds the task's noise to the
/// reference configuration, drawn as Gymnasium 0.29 draws it: from numpy's <c>Generator(PCG64)</c>, re-seeded by
/// <c>Reset(seed: k)</c> exactly as <c>reset(seed=k)</c> re-seeds <c>np_random</c>, so the start state is Gymnasium's
/// (an env built with seed k starts as after <c>reset(seed=k)</c>; resets without a seed continue the stream).
/// The control cost sums the float32 squares in float32, as numpy's <c>np.sum(np.square(action))</c> does.
/// <see cref="EnvInfo"/> carries Gymnasium's info keys and <c>mujoco_unstable_reset</c>.
/// </summary>
public abstract class MuJoCoEnv : IEnv, IStatefulEnv
{
    /// <summary>Gymnasium's <c>max_episode_steps</c> for all four tasks; reaching it truncates the episode.</summary>
    public const int MaxEpisodeSteps = 1000;

    /// <summary>Info key: 1 when MuJoCo found NaN/Inf/huge values during the step and reset the state itself, else 0.</summary>
    public const string UnstableResetKey = "mujoco_unstable_reset";

    private const int StateVersion = 1;

    private readonly bool _ownsModel;
    private readonly BoxSpace _actionSpace;
    private readonly NumpyGenerator _random;
    private readonly int _frameSkip;
    private bool _needsReset = true;

    private protected MuJoCoEnv(string id, MjModel model, bool ownsModel, int frameSkip, int observationSize, uint seed)
    {
        Id = id;
        Model = model;
        _ownsModel = ownsModel;
        _frameSkip = frameSkip;
        Data = new MjData(model);
        _random = new NumpyGenerator(seed);
        Dt = model.Timestep * frameSkip;
        ObservationSpace = new BoxSpace([observationSize], float.NegativeInfinity, float.PositiveInfinity);
        _actionSpace = ActionBox(model);
    }

    /// <inheritdoc/>
    public string Id { get; }

    /// <inheritdoc/>
    public BoxSpace ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace => _actionSpace;

    /// <inheritdoc/>
    public EnvInfo Info { get; } = new();

    /// <summary>Seconds of simulated time per env step (<c>timestep × frame_skip</c>).</summary>
    public double Dt { get; }

    /// <summary>Env steps since the last reset.</summary>
    public int ElapsedSteps { get; private set; }

    /// <summary>The compiled model (shared by the sub-envs of a vector env).</summary>
    internal MjModel Model { get; }

    /// <summary>This env's simulation state.</summary>
    internal MjData Data { get; }

    /// <inheritdoc/>
    public void Reset(Span<float> observation, int? seed = null)
    {
        CheckObservationBuffer(observation);
        if (seed is { } s)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(s, nameof(seed));
            _random.Seed((ulong)s);
        }

        Data.Reset();
        AddResetNoise(Data.Qpos, Data.Qvel, _random);
        FinishReset(observation);
    }

    /// <inheritdoc/>
    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (_needsReset)
        {
            throw new InvalidOperationException($"{Id}: Step called before Reset or after the episode ended; call Reset first.");
        }

        CheckObservationBuffer(observation);
        var squaredAction = SquaredNorm(action);
        var ctrl = Data.Ctrl;
        for (var i = 0; i < ctrl.Length; i++)
        {
            ctrl[i] = action[i];
        }

        BeforeSimulation();
        var instabilities = Data.InstabilityCount;
        for (var k = 0; k < _frameSkip; k++)
        {
            Data.Step();
        }

        Data.RnePostConstraint();
        ElapsedSteps++;
        var reward = AfterSimulation(squaredAction);
        var terminated = Terminal;
        Info.Set(UnstableResetKey, Data.InstabilityCount != instabilities ? 1 : 0);
        WriteObservation(observation);
        var truncated = ElapsedSteps >= MaxEpisodeSteps;
        _needsReset = terminated || truncated;
        return new StepResult(reward, terminated, truncated);
    }

    /// <summary>Writes the simulation state, the episode's step count and the reset-noise generator.</summary>
    public void WriteState(BinaryWriter writer)
    {
        writer.WriteHeader(Id, StateVersion);
        Data.WriteState(writer);
        writer.Write(ElapsedSteps);
        writer.Write(_needsReset);
        _random.WriteState(writer);
    }

    /// <inheritdoc/>
    public void ReadState(BinaryReader reader)
    {
        reader.ReadHeader(Id, StateVersion);
        Data.ReadState(reader);
        ElapsedSteps = reader.ReadInt32(0, MaxEpisodeSteps, "an episode step count");
        _needsReset = reader.ReadBoolean();
        _random.ReadState(reader);
    }

    /// <summary>Frees the simulation state (and the model when this env loaded it).</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Sets the state as Gymnasium's <c>set_state</c> does (then <c>mj_forward</c>), for tests from hand-set states.</summary>
    internal void SetState(ReadOnlySpan<double> qpos, ReadOnlySpan<double> qvel)
    {
        qpos.CopyTo(Data.Qpos);
        qvel.CopyTo(Data.Qvel);
        Data.Forward();
        _needsReset = false;
    }

    /// <summary>
    /// Starts an episode from a given state instead of a random one: Gymnasium's reset with the draw replaced
    /// (<c>mj_resetData</c>, the state copied in, <c>mj_forward</c>, which also sets the solver's warm start).
    /// </summary>
    internal void ResetToState(ReadOnlySpan<double> qpos, ReadOnlySpan<double> qvel, Span<float> observation)
    {
        CheckObservationBuffer(observation);
        Data.Reset();
        qpos.CopyTo(Data.Qpos);
        qvel.CopyTo(Data.Qvel);
        FinishReset(observation);
    }

    /// <summary>Frees the native state; <paramref name="disposing"/> is false only from a finalizer.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Data.Dispose();
            if (_ownsModel)
            {
                Model.Dispose();
            }
        }
    }

    /// <summary>Writes the observation of the current state without stepping, for tests from hand-set states.</summary>
    internal void Observe(Span<float> observation)
    {
        CheckObservationBuffer(observation);
        WriteObservation(observation);
    }

    /// <summary>Adds the task's reset noise to <paramref name="qpos"/> (holding <c>qpos0</c>) and <paramref name="qvel"/> (holding zeros).</summary>
    private protected abstract void AddResetNoise(Span<double> qpos, Span<double> qvel, NumpyGenerator random);

    /// <summary>Records what the reward compares against (the position before the step).</summary>
    private protected abstract void BeforeSimulation();

    /// <summary>Whether the current state ends the episode (Gymnasium's <c>terminated</c>: the task's unhealthy test).</summary>
    internal abstract bool Terminal { get; }

    /// <summary>Computes the reward from the new state and <c>Σ action²</c> (summed in float32), and fills <see cref="Info"/>.</summary>
    private protected abstract double AfterSimulation(double squaredAction);

    /// <summary>Writes the observation of the current state (float64 in Gymnasium, rounded to float32 here).</summary>
    private protected abstract void WriteObservation(Span<float> observation);

    /// <summary>Copies <paramref name="values"/> into <paramref name="destination"/>, clipped to [-<paramref name="limit"/>, <paramref name="limit"/>].</summary>
    private protected static void CopyClipped(ReadOnlySpan<double> values, Span<float> destination, double limit)
    {
        for (var i = 0; i < values.Length; i++)
        {
            destination[i] = (float)Math.Clamp(values[i], -limit, limit);
        }
    }

    /// <summary>Copies <paramref name="values"/> into <paramref name="destination"/>.</summary>
    private protected static void Copy(ReadOnlySpan<double> values, Span<float> destination)
    {
        for (var i = 0; i < values.Length; i++)
        {
            destination[i] = (float)values[i];
        }
    }

    /// <summary>Adds <c>U(-scale, scale)</c> to each element, drawing in index order as numpy's <c>uniform(size=n)</c>.</summary>
    private protected static void AddUniformNoise(Span<double> x, double scale, NumpyGenerator random)
    {
        for (var i = 0; i < x.Length; i++)
        {
            x[i] += random.Uniform(-scale, scale);
        }
    }

    /// <summary>Adds <c>scale × N(0, 1)</c> to each element, drawing in index order as numpy's <c>standard_normal(n)</c>.</summary>
    private protected static void AddNormalNoise(Span<double> x, double scale, NumpyGenerator random)
    {
        for (var i = 0; i < x.Length; i++)
        {
            x[i] += scale * random.StandardNormal();
        }
    }

    private static BoxSpace ActionBox(MjModel model)
    {
        var range = model.ActuatorCtrlRange;
        var low = new float[model.Nu];
        var high = new float[model.Nu];
        for (var i = 0; i < low.Length; i++)
        {
            low[i] = (float)range[2 * i];
            high[i] = (float)range[(2 * i) + 1];
        }

        return new BoxSpace([model.Nu], low, high);
    }

    private double SquaredNorm(ReadOnlySpan<float> action)
    {
        if (action.Length != _actionSpace.FlatSize)
        {
            throw new ArgumentException($"{Id} takes {_actionSpace.FlatSize} actuator controls per step, got {action.Length}.", nameof(action));
        }

        for (var i = 0; i < action.Length; i++)
        {
            if (!float.IsFinite(action[i]))
            {
                throw new ArgumentException($"{Id}: action element {i} is {action[i]}; controls must be finite.", nameof(action));
            }
        }

        return Float32Sum.OfSquares(action);
    }

    private void FinishReset(Span<float> observation)
    {
        Data.Forward();
        ElapsedSteps = 0;
        _needsReset = false;
        Info.Clear();
        WriteObservation(observation);
    }

    private void CheckObservationBuffer(Span<float> observation)
    {
        if (observation.Length != ObservationSpace.FlatSize)
        {
            throw new ArgumentException($"{Id} writes {ObservationSpace.FlatSize} observation values, but the buffer holds {observation.Length}.", nameof(observation));
        }
    }
}
