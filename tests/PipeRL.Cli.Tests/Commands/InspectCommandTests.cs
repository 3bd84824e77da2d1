using static PipeRL.Cli.Tests.CliRunner;

namespace PipeRL.Cli.Tests.Commands;

public sealed class InspectCommandTests
{
    [Fact]
    public void PrintsShapesParametersAndDelaysInTicksAndEnvSteps()
    {
        var (code, output, _) = Run("inspect", "temporal-skip", "--obs-shape", "17", "--actions", "6", "--continuous", "--tau", "2");

        Assert.Equal(PiperlApp.Success, code);
        Assert.Contains("fc2_in     concat         obs@t, fc1@t-1  [273]", output, StringComparison.Ordinal);
        Assert.Contains("total parameters: 78,040", output, StringComparison.Ordinal);
        Assert.Contains("minimum delay     1 tick = 2 env steps", output, StringComparison.Ordinal);
        Assert.Contains("receptive window  3 ticks = 6 env steps", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TimingsShowTheTickScheduleAndBothMeasuredTicks()
    {
        var (code, output, _) = Run("inspect", "pipelined", "--obs-shape", "8", "--actions", "16", "--hidden-layers", "7", "--width", "512", "--timings");

        Assert.Equal(PiperlApp.Success, code);
        Assert.Contains("Tick timings at batch 1 with a pool of 2 threads", output, StringComparison.Ordinal);
        Assert.Contains("tick on 2 of 2 thread(s)", output, StringComparison.Ordinal);
        Assert.Contains("wave 0: 2 threads, whole layers: ", output, StringComparison.Ordinal);
        Assert.Contains("measured: one thread ", output, StringComparison.Ordinal);
        Assert.Contains("each thread's part of a split tick alone on the caller: ", output, StringComparison.Ordinal);
        Assert.Contains("fork and join alone: two spins of ", output, StringComparison.Ordinal);
        Assert.Contains("overlapped ticks (the worker's layers a tick behind the caller's; ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--threads", "1")]
    [InlineData("--batch", "0")]
    public void BadTimingValuesAreUsageErrors(string option, string value)
    {
        var (code, _, err) = Run("inspect", "pipelined", "--obs-shape", "8", "--actions", "4", "--timings", option, value);

        Assert.Equal(PiperlApp.UsageError, code);
        Assert.StartsWith("piperl: --batch must be at least 1", err, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownArchitectureListsTheValidOnes()
    {
        var (code, _, err) = Run("inspect", "resnet", "--obs-shape", "4", "--actions", "2");

        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains("cnn-skipres", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("--tau", "0.3")]
    [InlineData("--obs-shape", "10,x")]
    [InlineData("--cnn", "resnet")]
    [InlineData("--obs-shape", "10000,10000,4")]
    [InlineData("--obs-shape", "2147483647")]
    public void BadValuesAreUsageErrors(string option, string value)
    {
        string[] args = ["inspect", "pipelined", "--obs-shape", "10,10,4", "--actions", "3", option, value];
        var (code, _, err) = Run(args);

        Assert.Equal(PiperlApp.UsageError, code);
        Assert.StartsWith("piperl: ", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    [Fact]
    public void AnImageTooLargeForTheEngineIsRefusedNotWrapped()
    {
        var (code, output, err) = Run("inspect", "pipelined", "--obs-shape", "10000,10000,4", "--actions", "3");
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Empty(output);
        Assert.Contains("Layer 'conv1' (Conv2d) would output [10000, 10000, 32], more than 2,147,483,647 elements", err, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonOutputCanBeInspectedAgain()
    {
        var (code, json, _) = Run("inspect", "cnn-skipres", "--obs-shape", "10,10,4", "--actions", "6", "--json");
        Assert.Equal(PiperlApp.Success, code);
        var path = Path.Combine(Path.GetTempPath(), $"piperl-inspect-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, json);
            var (again, output, _) = Run("inspect", path);

            Assert.Equal(PiperlApp.Success, again);
            Assert.Contains("minimum delay     2 ticks = 2 env steps", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
