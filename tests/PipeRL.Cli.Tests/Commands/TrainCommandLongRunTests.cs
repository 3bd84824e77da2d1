using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using PipeRL.Tests;
using Xunit.Abstractions;

namespace PipeRL.Cli.Tests.Commands;

/// <summary>
/// Long-run health: <c>piperl train</c> with the small network for 10M ticks in its own process, sampled every few
/// seconds from /proc (resident memory, threads, open file descriptors). After the first tenth of the ticks (warm-up)
/// memory stays flat and neither threads nor file handles grow.
/// </summary>
public sealed partial class TrainCommandLongRunTests(ITestOutputHelper output)
{
    private const long Ticks = 10_000_000;
    private const double WarmUp = 0.1;
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);

    [SkippableFact]
    [Trait("Category", "Long")]
    public void Ten_million_ticks_keep_memory_threads_and_file_handles_flat()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the long-run health test reads /proc; it runs on Linux only");
        using var temp = new TempDirectory();
        var samples = new List<Sample>();
        long tick = 0, total = Ticks;
        using var process = StartTraining(temp.Path, line =>
        {
            var match = ProgressLine().Match(line);
            if (match.Success)
            {
                Interlocked.Exchange(ref total, long.Parse(match.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
                Interlocked.Exchange(ref tick, long.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
            }
        });
        try
        {
            var clock = Stopwatch.StartNew();
            while (!process.WaitForExit(SampleEvery))
            {
                if (Read(process.Id, Interlocked.Read(ref tick), clock.Elapsed) is { } sample)
                {
                    samples.Add(sample);
                }
            }

            process.WaitForExit();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(0, process.ExitCode);
        Assert.True(File.Exists(Path.Combine(temp.Path, "health", "evaluation.json")), "the run did not finish with its evaluation");
        Report(samples);

        // Training samples only: the progress line reads tick == total once the final evaluation starts.
        var warm = samples.Where(s => s.Tick >= WarmUp * total && s.Tick < total).ToList();
        Assert.True(warm.Count >= 20, $"only {warm.Count} samples after warm-up");
        var (early, late) = (warm[..(warm.Count / 4)], warm[^(warm.Count / 4)..]);
        var (earlyRss, lateRss) = (Median(early.Select(s => s.RssMiB)), Median(late.Select(s => s.RssMiB)));
        Assert.True(lateRss <= earlyRss * 1.05, $"resident memory grew after warm-up: median {earlyRss:F1} MiB in the first quarter, {lateRss:F1} MiB in the last");
        var (firstHalf, secondHalf) = (warm[..(warm.Count / 2)], warm[(warm.Count / 2)..]);
        Assert.True(secondHalf.Max(s => s.Threads) <= firstHalf.Max(s => s.Threads), $"threads grew: at most {firstHalf.Max(s => s.Threads)} in the first half after warm-up, {secondHalf.Max(s => s.Threads)} in the second");
        Assert.True(secondHalf.Max(s => s.FileDescriptors) <= firstHalf.Max(s => s.FileDescriptors), $"file handles grew: at most {firstHalf.Max(s => s.FileDescriptors)} in the first half after warm-up, {secondHalf.Max(s => s.FileDescriptors)} in the second");
    }

    private static Process StartTraining(string runsDir, Action<string> onLine)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            Path.Combine(AppContext.BaseDirectory, "piperl.dll"), "train", "--env", "minatar/breakout", "--arch", "instant",
            "--preset", "small", "--steps", Ticks.ToString(CultureInfo.InvariantCulture), "--seed", "1", "--threads", "1",
            "--eval-episodes", "10", "--runs-dir", runsDir, "--name", "health",
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("piperl train did not start");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // VmRSS and Threads from /proc/PID/status, open descriptors from /proc/PID/fd; null once the process is gone.
    private static Sample? Read(int pid, long tick, TimeSpan elapsed)
    {
        try
        {
            double rss = 0;
            var threads = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
                }
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                {
                    threads = int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1].Trim(), CultureInfo.InvariantCulture);
                }
            }

            return new Sample(elapsed.TotalSeconds, tick, rss, threads, Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    // The curve at every twentieth of the run (the first sample at or past it), then the evaluation's last sample.
    private void Report(List<Sample> samples)
    {
        output.WriteLine("seconds,tick,rss_mib,threads,file_descriptors");
        for (var k = 0; k <= 20; k++)
        {
            var at = samples.FirstOrDefault(s => s.Tick >= k * Ticks / 20);
            if (at is not null)
            {
                output.WriteLine(at.ToString());
            }
        }

        if (samples.Count > 0)
        {
            output.WriteLine($"last sample (evaluation): {samples[^1]}");
            output.WriteLine($"{samples.Count} samples; after warm-up rss {samples.Where(s => s.Tick >= WarmUp * Ticks).Select(s => s.RssMiB).DefaultIfEmpty().Min():F1}-{samples.Where(s => s.Tick >= WarmUp * Ticks).Select(s => s.RssMiB).DefaultIfEmpty().Max():F1} MiB");
        }
    }

    [GeneratedRegex(@"tick ([\d,]+)/([\d,]+)")]
    private static partial Regex ProgressLine();

    private sealed record Sample(double Seconds, long Tick, double RssMiB, int Threads, int FileDescriptors)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Seconds:F0},{Tick},{RssMiB:F1},{Threads},{FileDescriptors}");
    }
}
