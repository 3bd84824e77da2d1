using System.Text.Json;

namespace PipeRL.Cli.Tests.Commands;

public sealed class BenchCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "piperl-bench-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void EngineQuickRunPrintsEveryRowAndWritesParsableJson()
    {
        string json = Path.Combine(_dir, "engine.json");
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = PiperlApp.Run(["bench", "engine", "--repetitions", "2", "--warmup-ms", "0", "--repetition-ms", "0", "--json", json], output, error);

        Assert.Equal(PiperlApp.Success, code);
        string text = output.ToString();
        Assert.Contains("CPU ", text, StringComparison.Ordinal);
        Assert.Contains("SIMD ", text, StringComparison.Ordinal);
        string[] rows =
        [
            "mlp 17-256-256-6 infer b=1", "mlp 17-8x256-6 infer b=1",
            "mlp 17-256-256-6 train b=64 t=1", "mlp 17-256-256-6 train b=64 t=2",
            "mlp 17-256-256-6 train b=256 t=1", "mlp 17-256-256-6 train b=256 t=2",
            "cnn minatar infer b=1", "cnn minatar train b=256 t=1", "cnn minatar train b=256 t=2",
        ];
        foreach (var row in rows)
        {
            Assert.Contains(row, text, StringComparison.Ordinal);
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var results = doc.RootElement.GetProperty("results");
        Assert.Equal(rows.Length, results.GetArrayLength());
        foreach (var r in results.EnumerateArray())
        {
            Assert.True(r.GetProperty("median").GetDouble() > 0);
            Assert.True(r.GetProperty("min").GetDouble() <= r.GetProperty("median").GetDouble());
            Assert.Equal(2, r.GetProperty("repetitions").GetInt32());
        }

        Assert.Equal(2.8e-6, results[0].GetProperty("target").GetDouble(), 12);
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("environment").GetProperty("cpu").GetString()));
    }

    [Fact]
    public void ZeroRepetitionsIsAUsageError()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = PiperlApp.Run(["bench", "engine", "--repetitions", "0"], output, error);
        Assert.Equal(PiperlApp.UsageError, code);
        Assert.Contains("--repetitions", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AJsonPathThatCannotBeWrittenIsRefusedBeforeTheBenchmarkRuns()
    {
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "x");
        foreach (var (path, expected) in new[] { (_dir, "is a folder; give the path of a file to write"), (Path.Combine(file, "out.json"), "is a file, not a folder") })
        {
            using var output = new StringWriter();
            using var error = new StringWriter();

            // Long repetitions: were the benchmark run first, this test would take minutes.
            int code = PiperlApp.Run(["bench", "engine", "--json", path, "--repetition-ms", "60000"], output, error);
            Assert.Equal(PiperlApp.UsageError, code);
            Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
            Assert.Empty(output.ToString());
        }
    }
}
