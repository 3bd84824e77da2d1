using System.Globalization;
using PipeRL.Envs.MuJoCo;

namespace PipeRL.Cli.Tests.Commands;

public sealed class BenchEnvsCommandTests
{
    [SkippableFact]
    public void Prints_a_table_row_per_mode_with_ratios_to_the_physics_baseline()
    {
        var unavailable = MuJoCoEnvs.UnavailableReason;
        Skip.If(unavailable is not null, unavailable);

        var (code, output, error) = Run("bench", "envs", "--seconds", "0.05", "--filter", "halfcheetah", "--threads", "1", "2");

        Assert.True(code == PiperlApp.Success, error);
        var rows = output.Split('\n').Where(l => l.StartsWith("| mujoco/halfcheetah", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, rows.Length);
        Assert.Contains("| physics only | 1 | 1 |", rows[0], StringComparison.Ordinal);
        Assert.EndsWith("| 1.00 | - |", rows[0].TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("| env | 1 | 1 |", rows[1], StringComparison.Ordinal);
        Assert.Contains("| vector | 32 | 1 |", rows[2], StringComparison.Ordinal);
        Assert.EndsWith("| - |", rows[2].TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("| vector | 32 | 2 |", rows[3], StringComparison.Ordinal);

        // The two-thread row over the one-thread row of the same sub-envs, from the printed steps/s.
        var stepsPerSecond = rows.Select(row => double.Parse(row.Split('|', StringSplitOptions.TrimEntries)[5], NumberStyles.AllowThousands, CultureInfo.InvariantCulture)).ToArray();
        var overOneThread = double.Parse(rows[3].Split('|', StringSplitOptions.TrimEntries)[9], CultureInfo.InvariantCulture);
        Assert.Equal(stepsPerSecond[3] / stepsPerSecond[2], overOneThread, 0.006 + (overOneThread * 0.001));
        Assert.DoesNotContain("mujoco/hopper", output, StringComparison.Ordinal);
    }

    [Fact]
    public void MinAtar_rows_cover_the_env_and_the_vector_env_per_thread_count_with_the_python_ratio()
    {
        var (code, output, error) = Run("bench", "envs", "--seconds", "0.05", "--filter", "minatar/breakout", "--threads", "1", "2");

        Assert.True(code == PiperlApp.Success, error);
        var rows = output.Split('\n').Where(l => l.StartsWith("| minatar/breakout", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, rows.Length);
        Assert.Contains("| env | 1 | 1 |", rows[0], StringComparison.Ordinal);
        Assert.EndsWith("| 1.00 | - |", rows[0].TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("| vector | 64 | 1 |", rows[1], StringComparison.Ordinal);
        Assert.Contains("| vector | 64 | 2 |", rows[2], StringComparison.Ordinal);

        // The × ref column: steps per CPU-second over the Python reference's 390k.
        var cells = rows[0].Split('|', StringSplitOptions.TrimEntries);
        var stepsPerCpuSecond = double.Parse(cells[6], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
        var timesReference = double.Parse(cells[7], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(stepsPerCpuSecond / 390_000, timesReference, 0.05 + (timesReference * 0.001));
        Assert.Contains("× ref", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Num_envs_sets_the_sub_envs_of_every_vector_row()
    {
        var unavailable = MuJoCoEnvs.UnavailableReason;
        Skip.If(unavailable is not null, unavailable);

        var (code, output, error) = Run("bench", "envs", "--seconds", "0.05", "--filter", "hopper", "--threads", "1", "2", "--num-envs", "6");

        Assert.True(code == PiperlApp.Success, error);
        var rows = output.Split('\n').Where(l => l.StartsWith("| mujoco/hopper | vector", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Contains("| vector | 6 | 1 |", rows[0], StringComparison.Ordinal);
        Assert.Contains("| vector | 6 | 2 |", rows[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--seconds", "0")]
    [InlineData("--threads", "0")]
    [InlineData("--num-envs", "0")]
    [InlineData("--num-envs", "5000")]
    public void Bad_values_are_one_line_usage_errors(string option, string value)
    {
        var (code, _, error) = Run("bench", "envs", option, value);

        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains(option, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void A_filter_that_matches_nothing_is_a_usage_error()
    {
        var (code, _, error) = Run("bench", "envs", "--filter", "no-such-env", "--seconds", "0.01");

        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains("no-such-env", error, StringComparison.Ordinal);
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = PiperlApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
