using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PipeRL.Envs.MuJoCo.Native;

/// <summary>
/// MuJoCo's warning and error hooks (<c>mju_user_warning</c>, <c>mju_user_error</c>) routed into .NET.
/// A warning goes to <see cref="Trace"/> and <see cref="WarningRaised"/>. An error stops the process with
/// <see cref="Environment.FailFast(string)"/>: MuJoCo requires the error hook not to return (it carries on with
/// corrupt state if it does), an exception cannot unwind through MuJoCo's C frames (the runtime aborts the process
/// when one leaves an <see cref="UnmanagedCallersOnlyAttribute"/> method, without a clear message), and longjmp is
/// not available from .NET. Failing fast with MuJoCo's message is the only safe choice; model-compilation errors do
/// not reach this hook (<c>mj_loadXML</c> reports them through its error buffer, which becomes an exception).
/// </summary>
internal static unsafe class MjMessages
{
    /// <summary>Raised on the thread that stepped MuJoCo, with MuJoCo's warning text.</summary>
    public static event Action<string>? WarningRaised;

    /// <summary>The warning hook as an unmanaged function pointer.</summary>
    public static delegate* unmanaged[Cdecl]<byte*, void> WarningHook => &OnWarning;

    /// <summary>The error hook as an unmanaged function pointer.</summary>
    public static delegate* unmanaged[Cdecl]<byte*, void> ErrorHook => &OnError;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnWarning(byte* message)
    {
        // An exception must not escape into MuJoCo's frames; a failing listener loses only its own warning.
        try
        {
            var text = Marshal.PtrToStringUTF8((IntPtr)message) ?? string.Empty;
            Trace.TraceWarning($"MuJoCo: {text}");
            WarningRaised?.Invoke(text);
        }
#pragma warning disable CA1031 // Nothing may propagate into native code.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Trace.TraceError($"MuJoCo warning listener failed: {ex.Message}");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(byte* message)
    {
        var text = Marshal.PtrToStringUTF8((IntPtr)message) ?? string.Empty;
        Environment.FailFast($"MuJoCo fatal error: {text} (MuJoCo cannot continue after an error, so the process stops).");
    }
}
