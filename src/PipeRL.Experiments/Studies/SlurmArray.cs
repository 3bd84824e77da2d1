using System.Globalization;
using System.Text;
using PipeRL.Experiments.Runs;

namespace PipeRL.Experiments.Studies;

/// <summary>
/// A study as a Slurm job array: one array task per run, each running <c>piperl train --resume RUN</c>, so a task that
/// is cancelled, preempted or resubmitted continues from the run's last checkpoint and a finished run is skipped.
/// The script names the run folders by absolute path, so the study folder and PipeRL must be on a file system every
/// node sees.
/// </summary>
public static class SlurmArray
{
    /// <summary>The script's file name in the study folder.</summary>
    public const string FileName = "slurm.sbatch";

    /// <summary>The folder of the tasks' Slurm logs in the study folder.</summary>
    public const string LogFolder = "slurm-logs";

    /// <summary>Seconds before its time limit that Slurm asks a task for a clean stop (SIGTERM: checkpoint, exit).</summary>
    public const int StopWarningSeconds = 180;

    /// <summary>
    /// Writes the array script for <paramref name="runs"/> of <paramref name="spec"/> into <paramref name="folder"/>,
    /// each task running <paramref name="command"/> <c>train --resume RUN</c>; returns the script's path.
    /// </summary>
    public static string Write(string folder, StudySpec spec, IReadOnlyList<RunFolder> runs, IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(command);
        if (runs.Count == 0)
        {
            throw new UserInputException($"study {spec.Name} has no runs; a Slurm array needs at least one.");
        }

        var logs = Path.GetFullPath(Path.Combine(folder, LogFolder));
        Directory.CreateDirectory(logs);
        var path = Path.Combine(folder, FileName);
        AtomicFile.WriteAllText(path, Script(spec, runs, command, logs));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute);
        }

        return path;
    }

    /// <summary>The script's text: the array's directives, then the run of the task's index.</summary>
    public static string Script(StudySpec spec, IReadOnlyList<RunFolder> runs, IReadOnlyList<string> command, string logFolder)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(command);
        var s = new StringBuilder();
        s.Append("#!/usr/bin/env bash\n");
        s.Append(CultureInfo.InvariantCulture, $"# PipeRL study '{spec.Name}' as a Slurm job array: one task per run, {runs.Count} runs, at most {spec.Parallel} at once.\n");
        s.Append("# Submit with: sbatch THIS_FILE (sbatch options such as -p PARTITION or --time override the lines below).\n");
        s.Append("# Resubmitting resumes: each task continues its run from the last checkpoint, or exits at once when it has finished.\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name=piperl-{Safe(spec.Name)}\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{runs.Count - 1}%{spec.Parallel}\n");
        s.Append("#SBATCH --ntasks=1\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={Math.Max(1, spec.Threads)}\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={logFolder}/%A_%a.out\n");
        s.Append("#SBATCH --open-mode=append\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --signal=B:TERM@{StopWarningSeconds}\n");
        s.Append("set -euo pipefail\n");
        s.Append("runs=(\n");
        foreach (var run in runs)
        {
            s.Append("  ").Append(Quote(run.Path)).Append('\n');
        }

        s.Append(")\n");
        s.Append("run=\"${runs[$SLURM_ARRAY_TASK_ID]}\"\n");
        var parameters = Path.GetFileName(runs[0].ParametersPath);
        var evaluation = Path.GetFileName(runs[0].EvaluationPath);
        s.Append(CultureInfo.InvariantCulture, $"if [ -f \"$run/{parameters}\" ] && [ -f \"$run/{evaluation}\" ]; then\n");
        s.Append("  echo \"$run has finished\"\n");
        s.Append("  exit 0\n");
        s.Append("fi\n");
        s.Append("exec");
        foreach (var part in command)
        {
            s.Append(' ').Append(Quote(part));
        }

        s.Append(" train --resume \"$run\"\n");
        return s.ToString();
    }

    // A single-quoted shell word.
    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Safe(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
}
