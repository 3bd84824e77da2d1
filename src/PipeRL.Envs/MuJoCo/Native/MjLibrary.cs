using System.Runtime.InteropServices;

namespace PipeRL.Envs.MuJoCo.Native;

/// <summary>
/// The MuJoCo 2.2.2 functions PipeRL calls, resolved once from libmujoco as unmanaged function pointers (all
/// arguments are pointers and ints, so a call marshals nothing). Loading checks the version and installs the
/// warning and error hooks of <see cref="MjMessages"/>.
/// </summary>
internal sealed unsafe class MjLibrary
{
    private static readonly string[] DefaultCandidates = ["libmujoco.so", "libmujoco.so.2.2.2"];
    private static readonly Lazy<MjLibrary> Shared = new(() => LoadFrom(DefaultCandidates), LazyThreadSafetyMode.ExecutionAndPublication);

    private MjLibrary(IntPtr handle, string name)
    {
        LibraryName = name;
        Version = (delegate* unmanaged[Cdecl]<int>)Export(handle, "mj_version");
        var version = Version();
        if (version != Mj222Layout.Version)
        {
            throw new MuJoCoUnavailableException(
                $"{name} is MuJoCo {version / 100}.{version / 10 % 10}.{version % 10} ({version}), but PipeRL's binding reads MuJoCo 2.2.2's memory layout and needs exactly 2.2.2 (222): {MuJoCoUnavailableException.InstallHint}.");
        }

        LoadXml = (delegate* unmanaged[Cdecl]<byte*, IntPtr, byte*, int, IntPtr>)Export(handle, "mj_loadXML");
        DeleteModel = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export(handle, "mj_deleteModel");
        MakeData = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)Export(handle, "mj_makeData");
        DeleteData = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export(handle, "mj_deleteData");
        ResetData = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void>)Export(handle, "mj_resetData");
        Step = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void>)Export(handle, "mj_step");
        Forward = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void>)Export(handle, "mj_forward");
        RnePostConstraint = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void>)Export(handle, "mj_rnePostConstraint");
        Name2Id = (delegate* unmanaged[Cdecl]<IntPtr, int, byte*, int>)Export(handle, "mj_name2id");
        DefaultVfs = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export(handle, "mj_defaultVFS");
        MakeEmptyFileVfs = (delegate* unmanaged[Cdecl]<IntPtr, byte*, int, int>)Export(handle, "mj_makeEmptyFileVFS");
        FindFileVfs = (delegate* unmanaged[Cdecl]<IntPtr, byte*, int>)Export(handle, "mj_findFileVFS");
        DeleteVfs = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export(handle, "mj_deleteVFS");
        WarningHookSlot = (IntPtr*)Export(handle, "mju_user_warning");
        ErrorHookSlot = (IntPtr*)Export(handle, "mju_user_error");
        *WarningHookSlot = (IntPtr)MjMessages.WarningHook;
        *ErrorHookSlot = (IntPtr)MjMessages.ErrorHook;
    }

    /// <summary>File names tried in order: the -dev package's symlink, then the runtime package's SONAME.</summary>
    public static IReadOnlyList<string> Candidates => DefaultCandidates;

    /// <summary>The loaded library; throws <see cref="MuJoCoUnavailableException"/> when it is missing or not 2.2.2.</summary>
    public static MjLibrary Instance => Shared.Value;

    /// <summary>Serialises model compilation: <c>mj_loadXML</c> keeps global state and swaps the global hooks.</summary>
    public static Lock CompileLock { get; } = new();

    /// <summary>The file name the library was loaded from.</summary>
    public string LibraryName { get; }

    /// <summary><c>int mj_version(void)</c>.</summary>
    public delegate* unmanaged[Cdecl]<int> Version { get; }

    /// <summary><c>mjModel* mj_loadXML(const char* filename, const mjVFS* vfs, char* error, int error_sz)</c>.</summary>
    public delegate* unmanaged[Cdecl]<byte*, IntPtr, byte*, int, IntPtr> LoadXml { get; }

    /// <summary><c>void mj_deleteModel(mjModel*)</c>.</summary>
    public delegate* unmanaged[Cdecl]<IntPtr, void> DeleteModel { get; }

    /// <summary><c>mjData* mj_makeData(const mjModel*)</c>.</summary>
    public delegate* unmanaged[Cdecl]<IntPtr, IntPtr> MakeData { get; }

    /// <summary><c>void mj_deleteData(mjData*)</c>.</summary>
    public delegate* unmanaged[Cdecl]<IntPtr, void> DeleteData { get; }

    /// <summary><c>void mj_resetData(const mjModel*, mjData*)</c>.</summary>
    public delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void> ResetData { get; }

    /// <summary><c>void mj_step(const mjModel*, mjData*)</c>.</summary>
    public delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void> Step { get; }

    /// <summary><c>void mj_forward(const mjModel*, mjData*)</c>.</summary>
    public delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void> Forward { get; }

    /// <summary><c>void mj_rnePostConstraint(const mjModel*, mjData*)</c>: fills <c>cfrc_ext</c> and <c>cfrc_int</c>.</summary>
    public delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void> RnePostConstraint { get; }

    /// <summary><c>int mj_name2id(const mjModel*, int type, const char* name)</c>.</summary>
    public delegate* unmanaged[Cdecl]<IntPtr, int, byte*, int> Name2Id { get; }

    /// <summary><c>void mj_defaultVFS(mjVFS*)</c>.</summary>
    public delegate* unmanaged[Cdecl]<IntPtr, void> DefaultVfs { get; }

    /// <summary><c>int mj_makeEmptyFileVFS(mjVFS*, const char* filename, int filesize)</c>.</summary>
    public delegate* unmanaged[Cdecl]<IntPtr, byte*, int, int> MakeEmptyFileVfs { get; }

    /// <summary><c>int mj_findFileVFS(const mjVFS*, const char* filename)</c>.</summary>
    public delegate* unmanaged[Cdecl]<IntPtr, byte*, int> FindFileVfs { get; }

    /// <summary><c>void mj_deleteVFS(mjVFS*)</c>.</summary>
    public delegate* unmanaged[Cdecl]<IntPtr, void> DeleteVfs { get; }

    /// <summary>Address of the global <c>mju_user_warning</c> hook.</summary>
    public IntPtr* WarningHookSlot { get; }

    /// <summary>Address of the global <c>mju_user_error</c> hook.</summary>
    public IntPtr* ErrorHookSlot { get; }

    /// <summary>Loads the first of <paramref name="candidates"/> that exists; throws a clear message when none does.</summary>
    internal static MjLibrary LoadFrom(IReadOnlyList<string> candidates)
    {
        foreach (var name in candidates)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                return new MjLibrary(handle, name);
            }
        }

        throw new MuJoCoUnavailableException(
            $"The MuJoCo 2.2.2 native library was not found (tried {string.Join(", ", candidates)}): {MuJoCoUnavailableException.InstallHint}.");
    }

    private static IntPtr Export(IntPtr handle, string symbol) =>
        NativeLibrary.TryGetExport(handle, symbol, out var address)
            ? address
            : throw new MuJoCoUnavailableException(
                $"The MuJoCo library lacks the symbol '{symbol}', so it is not MuJoCo 2.2.2: {MuJoCoUnavailableException.InstallHint}.");
}
