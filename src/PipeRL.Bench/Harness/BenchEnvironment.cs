using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PipeRL.Bench.Harness;

/// <summary>The machine and runtime a benchmark ran on (the header of every <c>piperl bench</c> report).</summary>
/// <param name="Cpu">CPU model name.</param>
/// <param name="LogicalCores">Logical processors visible to the process.</param>
/// <param name="Runtime">.NET runtime description.</param>
/// <param name="Os">Operating system description.</param>
/// <param name="Simd">Vector widths and instruction sets the JIT uses.</param>
public sealed record BenchEnvironment(string Cpu, int LogicalCores, string Runtime, string Os, string Simd)
{
    /// <summary>Describes the current machine.</summary>
    public static BenchEnvironment Capture() => new(
        CpuModel(),
        Environment.ProcessorCount,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        SimdDescription());

    /// <summary>Writes the header lines.</summary>
    public void Write(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"CPU      {Cpu}, {LogicalCores} logical cores");
        output.WriteLine($"Runtime  {Runtime} on {Os}");
        output.WriteLine($"SIMD     {Simd}");
    }

    private static string SimdDescription()
    {
        var parts = new List<string>
        {
            $"Vector256 {(Vector256.IsHardwareAccelerated ? "yes" : "no")}",
            $"Vector512 {(Vector512.IsHardwareAccelerated ? "yes" : "no")}",
            $"FMA {(Fma.IsSupported ? "yes" : "no")}",
            $"AVX2 {(Avx2.IsSupported ? "yes" : "no")}",
        };
        return string.Join(", ", parts);
    }

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (File.Exists(cpuInfo))
        {
            foreach (var line in File.ReadLines(cpuInfo))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    int colon = line.IndexOf(':', StringComparison.Ordinal);
                    return line[(colon + 1)..].Trim();
                }
            }
        }

        return $"{RuntimeInformation.ProcessArchitecture} (model unknown)";
    }
}
