namespace PipeRL.Envs.MuJoCo.Native;

/// <summary>
/// One simulation state (<c>mjData</c>) of a shared <see cref="MjModel"/>. The array pointers are read once and
/// cached (in 2.2.2 they never move for the life of the data), and checked against the data's own buffer.
/// </summary>
internal sealed unsafe class MjData : IDisposable
{
    private readonly MjDataHandle _handle;
    private readonly MjLibrary _library;
    private readonly IntPtr _model;
    private readonly byte* _data;
    private readonly double* _qpos;
    private readonly double* _qvel;
    private readonly double* _act;
    private readonly double* _qaccWarmstart;
    private readonly double* _ctrl;
    private readonly double* _xpos;
    private readonly double* _cfrcExt;

    /// <summary>Creates the state of <paramref name="model"/> at its reference configuration and checks the layout.</summary>
    public MjData(MjModel model)
    {
        Model = model;
        _library = model.Library;
        _model = model.Pointer;
        var data = _library.MakeData(_model);
        if (data == IntPtr.Zero)
        {
            throw new InsufficientMemoryException($"MuJoCo could not allocate the simulation data of model '{model.Source}'.");
        }

        _handle = new MjDataHandle(data);
        _data = (byte*)data;
        _qpos = Pointer(Mj222Layout.Data.Qpos);
        _qvel = Pointer(Mj222Layout.Data.Qvel);
        _act = Pointer(Mj222Layout.Data.Act);
        _qaccWarmstart = Pointer(Mj222Layout.Data.QaccWarmstart);
        _ctrl = Pointer(Mj222Layout.Data.Ctrl);
        _xpos = Pointer(Mj222Layout.Data.Xpos);
        _cfrcExt = Pointer(Mj222Layout.Data.CfrcExt);
        CheckLayout();
    }

    /// <summary>The model this state belongs to.</summary>
    public MjModel Model { get; }

    /// <summary>Generalized positions (nq).</summary>
    public Span<double> Qpos => new(_qpos, Model.Nq);

    /// <summary>Generalized velocities (nv).</summary>
    public Span<double> Qvel => new(_qvel, Model.Nv);

    /// <summary>Actuator controls (nu).</summary>
    public Span<double> Ctrl => new(_ctrl, Model.Nu);

    /// <summary>Body positions in the world frame (nbody×3), as of the last kinematics pass.</summary>
    public ReadOnlySpan<double> Xpos => new(_xpos, Model.NBody * 3);

    /// <summary>External contact wrench on every body (nbody×6); filled by <see cref="RnePostConstraint"/>.</summary>
    public ReadOnlySpan<double> CfrcExt => new(_cfrcExt, Model.NBody * 6);

    /// <summary>Simulation time in seconds.</summary>
    public double Time
    {
        get => *(double*)(_data + Mj222Layout.Data.Time);
        private set => *(double*)(_data + Mj222Layout.Data.Time) = value;
    }

    /// <summary>Number of contacts found by the last collision pass.</summary>
    public int ContactCount => *(int*)(_data + Mj222Layout.Data.NCon);

    /// <summary>
    /// How many times MuJoCo found NaN, Inf or huge values in qpos, qvel, qacc or ctrl since the last
    /// <see cref="Reset"/>; each time it reset the state to the reference configuration by itself.
    /// </summary>
    public int InstabilityCount
    {
        get
        {
            var warnings = (int*)(_data + Mj222Layout.Data.Warning);
            var count = 0;
            for (var k = Mj222Layout.FirstInstabilityWarning; k < Mj222Layout.WarningCount; k++)
            {
                count += warnings[(2 * k) + 1];
            }

            return count;
        }
    }

    /// <summary>Coordinate <paramref name="axis"/> (0 x, 1 y, 2 z) of body <paramref name="body"/>'s world position, as of the last kinematics pass.</summary>
    public double BodyPosition(int body, int axis) => _xpos[(3 * body) + axis];

    /// <summary>
    /// Writes what the next <see cref="Step"/> depends on: time, qpos, qvel, act, ctrl, the solver's warm start, and
    /// <c>xpos</c> as the last substep left it (a task reads it before stepping, as Gymnasium does); everything else a
    /// step recomputes from these.
    /// </summary>
    public void WriteState(BinaryWriter writer)
    {
        var model = Model;
        writer.Write(Time);
        writer.WriteArray(Qpos);
        writer.WriteArray(Qvel);
        writer.WriteArray(new ReadOnlySpan<double>(_act, model.Na));
        writer.WriteArray(Ctrl);
        writer.WriteArray(new ReadOnlySpan<double>(_qaccWarmstart, model.Nv));
        writer.WriteArray(Xpos);
    }

    /// <summary>Restores a state <see cref="WriteState"/> wrote on data of the same model.</summary>
    public void ReadState(BinaryReader reader)
    {
        var model = Model;
        Time = reader.ReadDouble();
        reader.ReadArray(Qpos);
        reader.ReadArray(Qvel);
        reader.ReadArray(new Span<double>(_act, model.Na));
        reader.ReadArray(Ctrl);
        reader.ReadArray(new Span<double>(_qaccWarmstart, model.Nv));
        reader.ReadArray(new Span<double>(_xpos, model.NBody * 3));
    }

    /// <summary>Advances the simulation by one timestep (<c>mj_step</c>).</summary>
    public void Step() => _library.Step(_model, (IntPtr)_data);

    /// <summary>Computes everything that depends on the state without integrating (<c>mj_forward</c>).</summary>
    public void Forward() => _library.Forward(_model, (IntPtr)_data);

    /// <summary>Computes the constraint-inclusive body forces <c>cfrc_ext</c> and <c>cfrc_int</c>.</summary>
    public void RnePostConstraint() => _library.RnePostConstraint(_model, (IntPtr)_data);

    /// <summary>Resets to the reference configuration, zero velocity and time, clearing the warning counters.</summary>
    public void Reset() => _library.ResetData(_model, (IntPtr)_data);

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();

    private double* Pointer(int offset) => *(double**)(_data + offset);

    // Every cached pointer must lie in the data's buffer, and a fresh state must equal the model's qpos0.
    private void CheckLayout()
    {
        var buffer = *(byte**)(_data + Mj222Layout.Data.Buffer);
        var size = *(int*)(_data + Mj222Layout.Data.NBuffer);
        var model = Model;
        var ok = buffer != null && size > 0
            && Inside(_qpos, model.Nq) && Inside(_qvel, model.Nv) && Inside(_ctrl, model.Nu)
            && Inside(_act, model.Na) && Inside(_qaccWarmstart, model.Nv)
            && Inside(_xpos, model.NBody * 3) && Inside(_cfrcExt, model.NBody * 6)
            && Qpos.SequenceEqual(model.Qpos0);
        if (!ok)
        {
            _handle.Dispose();
            throw new MuJoCoUnavailableException(
                $"The loaded MuJoCo library does not have MuJoCo 2.2.2's mjData layout (checked on model '{model.Source}'): {MuJoCoUnavailableException.InstallHint}.");
        }

        bool Inside(double* array, int length) =>
            (byte*)array >= buffer && (byte*)(array + length) <= buffer + size;
    }
}
