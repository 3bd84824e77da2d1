using System.Text;

namespace PipeRL.Envs.MuJoCo.Native;

/// <summary>
/// A compiled MuJoCo model (<c>mjModel</c>), read-only after loading, so one model may be shared by many
/// <see cref="MjData"/> on many threads.
/// </summary>
internal sealed unsafe class MjModel : IDisposable
{
    private const int ErrorBufferSize = 1000;
    private const int MaxReasonableSize = 100_000;

    private readonly MjModelHandle _handle;
    private readonly byte* _model;

    private MjModel(MjModelHandle handle, string source)
    {
        _handle = handle;
        _model = (byte*)handle.DangerousGetHandle();
        Library = MjLibrary.Instance;
        Source = source;
        CheckLayout();
    }

    /// <summary>The library the model came from.</summary>
    public MjLibrary Library { get; }

    /// <summary>Where the model came from (a file or an embedded resource), for messages.</summary>
    public string Source { get; }

    /// <summary>The raw <c>mjModel*</c>; valid until <see cref="Dispose"/>.</summary>
    public IntPtr Pointer => (IntPtr)_model;

    /// <summary>Number of generalized coordinates.</summary>
    public int Nq => Int(Mj222Layout.Model.Nq);

    /// <summary>Number of degrees of freedom.</summary>
    public int Nv => Int(Mj222Layout.Model.Nv);

    /// <summary>Number of actuators.</summary>
    public int Nu => Int(Mj222Layout.Model.Nu);

    /// <summary>Number of actuator activations.</summary>
    public int Na => Int(Mj222Layout.Model.Na);

    /// <summary>Number of bodies, the world included.</summary>
    public int NBody => Int(Mj222Layout.Model.NBody);

    /// <summary>Number of joints.</summary>
    public int NJnt => Int(Mj222Layout.Model.NJnt);

    /// <summary>Number of geoms.</summary>
    public int NGeom => Int(Mj222Layout.Model.NGeom);

    /// <summary>The physics timestep in seconds.</summary>
    public double Timestep => *(double*)(_model + Mj222Layout.Model.Timestep);

    /// <summary>The integrator (<c>mjtIntegrator</c>: 0 Euler, 1 RK4).</summary>
    public int Integrator => Int(Mj222Layout.Model.Integrator);

    /// <summary>The reference configuration, which is <c>qpos</c> right after <c>mj_makeData</c>.</summary>
    public ReadOnlySpan<double> Qpos0 => Doubles(Mj222Layout.Model.Qpos0, Nq);

    /// <summary>The control range of every actuator, as (low, high) pairs.</summary>
    public ReadOnlySpan<double> ActuatorCtrlRange => Doubles(Mj222Layout.Model.ActuatorCtrlRange, Nu * 2);

    /// <summary>Loads and compiles the MJCF file at <paramref name="path"/>.</summary>
    public static MjModel LoadXmlFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"MuJoCo model file '{path}' does not exist.", path);
        }

        return Compile(Encoding.UTF8.GetBytes(path + "\0"), IntPtr.Zero, path);
    }

    /// <summary>Compiles MJCF text held in memory, named <paramref name="fileName"/> in messages.</summary>
    public static MjModel LoadXmlText(string fileName, ReadOnlySpan<byte> xml)
    {
        var library = MjLibrary.Instance;
        var name = Encoding.UTF8.GetBytes(fileName + "\0");
        var vfs = (IntPtr)System.Runtime.InteropServices.NativeMemory.AllocZeroed(Mj222Layout.VfsSize);
        try
        {
            library.DefaultVfs(vfs);
            fixed (byte* namePtr = name)
            {
                if (library.MakeEmptyFileVfs(vfs, namePtr, xml.Length) != 0)
                {
                    throw new InvalidOperationException($"MuJoCo could not create the in-memory file '{fileName}'.");
                }

                var index = library.FindFileVfs(vfs, namePtr);
                if (index < 0)
                {
                    throw new InvalidOperationException($"MuJoCo lost the in-memory file '{fileName}' it just created.");
                }

                var data = ((IntPtr*)((byte*)vfs + Mj222Layout.VfsFileData))[index];
                xml.CopyTo(new Span<byte>((void*)data, xml.Length));
            }

            return Compile(name, vfs, fileName);
        }
        finally
        {
            library.DeleteVfs(vfs);
            System.Runtime.InteropServices.NativeMemory.Free((void*)vfs);
        }
    }

    /// <summary>The id of the body named <paramref name="name"/>; throws when the model has none.</summary>
    public int BodyId(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name + "\0");
        fixed (byte* namePtr = bytes)
        {
            var id = Library.Name2Id(Pointer, Mj222Layout.ObjBody, namePtr);
            return id >= 0 ? id : throw new ArgumentException($"Model '{Source}' has no body named '{name}'.", nameof(name));
        }
    }

    /// <summary>The model's double array at <paramref name="offset"/> (a <see cref="Mj222Layout.Model"/> field) of <paramref name="length"/> values.</summary>
    public ReadOnlySpan<double> Doubles(int offset, int length) => new(*(double**)(_model + offset), length);

    /// <summary>The model's int array at <paramref name="offset"/> of <paramref name="length"/> values.</summary>
    public ReadOnlySpan<int> Ints(int offset, int length) => new(*(int**)(_model + offset), length);

    /// <summary>The model's byte array at <paramref name="offset"/> of <paramref name="length"/> values.</summary>
    public ReadOnlySpan<byte> Bytes(int offset, int length) => new(*(byte**)(_model + offset), length);

    /// <summary>The model's int scalar at <paramref name="offset"/>.</summary>
    public int Int(int offset) => *(int*)(_model + offset);

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();

    private static MjModel Compile(byte[] fileName, IntPtr vfs, string source)
    {
        var library = MjLibrary.Instance;
        var error = stackalloc byte[ErrorBufferSize];
        IntPtr model;
        fixed (byte* namePtr = fileName)
        {
            lock (MjLibrary.CompileLock)
            {
                model = library.LoadXml(namePtr, vfs, error, ErrorBufferSize);
            }
        }

        if (model == IntPtr.Zero)
        {
            var message = new string((sbyte*)error).Trim();
            throw new InvalidDataException($"MuJoCo could not compile model '{source}': {message}");
        }

        return new MjModel(new MjModelHandle(model), source);
    }

    // Catches a wrong layout before any array is touched: every size must be small and positive.
    private void CheckLayout()
    {
        var (nq, nv, nu, nbody, njnt, ngeom, timestep) = (Nq, Nv, Nu, NBody, NJnt, NGeom, Timestep);
        if (nq <= 0 || nv <= 0 || nu < 0 || nbody <= 0 || njnt < 0 || ngeom < 0
            || nq > MaxReasonableSize || nv > MaxReasonableSize || nu > MaxReasonableSize || nbody > MaxReasonableSize
            || !(timestep > 0 && timestep < 1) || *(double**)(_model + Mj222Layout.Model.Qpos0) == null)
        {
            _handle.Dispose();
            throw new MuJoCoUnavailableException(
                $"The loaded MuJoCo library does not have MuJoCo 2.2.2's mjModel layout (model '{Source}' reads as nq={nq}, nv={nv}, nu={nu}, nbody={nbody}, timestep={timestep}): {MuJoCoUnavailableException.InstallHint}.");
        }
    }
}
