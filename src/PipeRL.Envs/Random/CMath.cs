using System.Runtime.InteropServices;

namespace PipeRL.Envs;

/// <summary>
/// C library maths that .NET does not offer with the same bits: <c>log1p</c>, which numpy's samplers call and .NET
/// only approximates as <c>log(1 + x)</c>. It is the platform C library's own function where one exports it.
/// </summary>
internal static unsafe class CMath
{
    private static readonly string[] Libraries = ["libm.so.6", "libSystem.B.dylib", "ucrtbase.dll"];
    private static readonly delegate* unmanaged[Cdecl]<double, double> NativeLog1P = Resolve("log1p");

    /// <summary>log(1 + <paramref name="x"/>) without the rounding of 1 + x, from the C library when it has one.</summary>
    public static double Log1P(double x) => NativeLog1P != null ? NativeLog1P(x) : ManagedLog1P(x);

    /// <summary>Whether <see cref="Log1P"/> calls the C library (else a managed formula accurate to about an ulp).</summary>
    public static bool IsNative => NativeLog1P != null;

    // Goldberg's correction: log(u) · x / (u − 1) with u = 1 + x recovers the bits lost in forming u.
    internal static double ManagedLog1P(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    private static delegate* unmanaged[Cdecl]<double, double> Resolve(string name)
    {
        foreach (var library in Libraries)
        {
            if (NativeLibrary.TryLoad(library, out var handle) && NativeLibrary.TryGetExport(handle, name, out var export))
            {
                return (delegate* unmanaged[Cdecl]<double, double>)export;
            }
        }

        return null;
    }
}
