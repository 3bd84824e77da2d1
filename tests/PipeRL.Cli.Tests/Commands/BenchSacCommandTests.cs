namespace PipeRL.Cli.Tests.Commands;

public sealed class BenchSacCommandTests
{
    [Fact]
    public void Reports_ticks_per_second_cpu_time_and_nominal_work_on_pendulum()
    {
        var (code, output, error) = CliRunner.Run("bench", "sac", "--env", "classic/pendulum", "--threads", "1", "--warm-up", "300", "--ticks", "20");

        Assert.True(code == PiperlApp.Success, error);
        Assert.Contains("SAC on classic/pendulum, actor instant (window 1 ticks, 2 replayed), batch 256, 1 thread(s)", output, StringComparison.Ordinal);
        Assert.Contains("20 learning ticks in ", output, StringComparison.Ordinal);
        Assert.Contains("ms per tick, ", output, StringComparison.Ordinal);
        Assert.Contains("GFLOP per tick", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--env", "classic/cartpole", "bench sac takes classic/pendulum or a MuJoCo env")]
    [InlineData("--threads", "0", "--threads must be 1 to 64")]
    [InlineData("--warm-up", "10", "--warm-up at least 300")]
    [InlineData("--arch", "mlp", "Unknown architecture 'mlp'")]
    public void Bad_input_is_one_line_and_exit_code_2(string option, string value, string message)
    {
        var (code, output, error) = CliRunner.Run("bench", "sac", option, value, "--ticks", "1");

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal(string.Empty, output);
    }
}
