using System.Diagnostics;
using System.Runtime.InteropServices;
using PipeRL.Experiments.Runs;

namespace PipeRL.Experiments.Studies;

/// <summary>
/// Trains each study run in its own <c>piperl train --resume RUN</c> process (a crash, such as a MuJoCo fatal error,
/// ends only that run). Each process runs in its own session, so a terminal's Ctrl-C reaches the study alone, which then
/// asks every running process for a clean stop (SIGTERM: checkpoint, exit 143). The process's lines are passed on and
/// appended to the run folder's <c>train.log</c>.
/// </summary>
public sealed partial class ProcessRunLauncher
{
    private const int Sigterm = 15;

    private static readonly string[] SetsidPaths = ["/usr/bin/setsid", "/bin/setsid"];

    private readonly string _fileName;
    private readonly IReadOnlyList<string> _prefix;

    /// <summary>Starts runs as <paramref name="fileName"/> <paramref name="prefix"/> <c>train --resume RUN</c>.</summary>
    public ProcessRunLauncher(string fileName, IReadOnlyList<string> prefix)
    {
        _fileName = fileName;
        _prefix = prefix;
    }

    /// <summary>
    /// The launcher for the <c>piperl</c> assembly at <paramref name="piperlDll"/>, run by the .NET host that runs this
    /// process (or <c>dotnet</c> on the PATH).
    /// </summary>
    public static ProcessRunLauncher ForAssembly(string piperlDll)
    {
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        return new ProcessRunLauncher(host, [piperlDll]);
    }

    /// <summary>The program and arguments that come before <c>train --resume RUN</c>.</summary>
    public IReadOnlyList<string> Command => [_fileName, .. _prefix];

    /// <summary>Trains <paramref name="run"/> in a child process; see <see cref="RunLauncher"/>.</summary>
    public int Launch(RunFolder run, TextWriter console, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(console);
        var setsid = SetsidPaths.FirstOrDefault(File.Exists);
        var start = new ProcessStartInfo(setsid ?? _fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (setsid is not null)
        {
            start.ArgumentList.Add(_fileName);
        }

        foreach (var arg in _prefix.Concat(["train", "--resume", run.Path]))
        {
            start.ArgumentList.Add(arg);
        }

        using var log = new StreamWriter(Path.Combine(run.Path, "train.log"), append: true) { AutoFlush = true };
        var gate = new object();
        void Line(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                console.WriteLine(line);
                log.WriteLine(line);
            }
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (stop.Register(() => _ = Kill(process.Id, Sigterm)))
        {
            process.WaitForExit();
        }

        return process.ExitCode;
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
