using System.Diagnostics;
using System.Globalization;
using PipeRL.Envs.MuJoCo.Native;

namespace PipeRL.Envs.Tests.MuJoCo.Native;

public sealed class Mj222LayoutTests
{
    private const string Header = "/usr/include/mujoco/mujoco.h";

    [SkippableFact]
    public void Offsets_match_the_installed_headers()
    {
        Skip.IfNot(File.Exists(Header), $"MuJoCo headers not installed ({Header}); skipping the offsetof cross-check.");
        var gcc = FindOnPath("gcc");
        Skip.If(gcc is null, "gcc not found; skipping the offsetof cross-check.");
        var expected = Expected();

        var measured = Measure(gcc!, expected.Keys);

        foreach (var (field, offset) in expected)
        {
            Assert.True(measured.TryGetValue(field, out var actual), $"probe printed no '{field}'");
            Assert.True(offset == actual, $"{field}: layout table says {offset}, the 2.2.2 headers say {actual}");
        }
    }

    private static Dictionary<string, long> Expected()
    {
        var expected = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["sizeof(mjVFS)"] = Mj222Layout.VfsSize,
            ["offsetof(mjVFS, filedata)"] = Mj222Layout.VfsFileData,
            ["mjNWARNING"] = Mj222Layout.WarningCount,
            ["mjWARN_BADQPOS"] = Mj222Layout.FirstInstabilityWarning,
            ["mjOBJ_BODY"] = Mj222Layout.ObjBody,
            ["mjVERSION_HEADER"] = Mj222Layout.Version,
        };
        Add(expected, typeof(Mj222Layout.Model), "mjModel");
        Add(expected, typeof(Mj222Layout.Data), "mjData");
        return expected;
    }

    // Maps each constant (NBody, GeomSolimp, ...) to its C field (nbody, geom_solimp, ...).
    private static void Add(Dictionary<string, long> expected, Type table, string structName)
    {
        foreach (var field in table.GetFields())
        {
            var name = field.Name switch
            {
                "Timestep" => "opt.timestep",
                "Gravity" => "opt.gravity",
                "Integrator" => "opt.integrator",
                "Qpos0" => "qpos0",
                "QaccWarmstart" => "qacc_warmstart",
                _ => CName(field.Name),
            };
            expected[$"offsetof({structName}, {name})"] = Convert.ToInt64(field.GetRawConstantValue(), CultureInfo.InvariantCulture);
        }
    }

    private static string CName(string pascal)
    {
        string[] prefixes = ["Body", "Jnt", "Dof", "Geom", "Actuator"];
        foreach (var prefix in prefixes)
        {
            if (pascal.StartsWith(prefix, StringComparison.Ordinal) && pascal.Length > prefix.Length)
            {
                return $"{prefix.ToLowerInvariant()}_{pascal[prefix.Length..].ToLowerInvariant()}";
            }
        }

        return pascal.StartsWith("Cfrc", StringComparison.Ordinal)
            ? "cfrc_" + pascal[4..].ToLowerInvariant()
            : pascal.ToLowerInvariant();
    }

    private static Dictionary<string, long> Measure(string gcc, IEnumerable<string> expressions)
    {
        var dir = Directory.CreateTempSubdirectory("piperl-mjprobe-");
        try
        {
            var lines = expressions.Select(e => $"  printf(\"%s=%ld\\n\", \"{e}\", (long)({e}));");
            var source = Path.Combine(dir.FullName, "probe.c");
            File.WriteAllText(source, "#include <stdio.h>\n#include <stddef.h>\n#include <mujoco/mujoco.h>\nint main(void) {\n" + string.Join("\n", lines) + "\n  return 0;\n}\n");
            var binary = Path.Combine(dir.FullName, "probe");
            Run(gcc, $"-o {binary} {source}");
            return Run(binary, string.Empty)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('='))
                .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(file)} failed: {error}");
        return output;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
