using System.Text.Json.Nodes;
using PipeRL.Tests;
using static PipeRL.Cli.Tests.CliRunner;

namespace PipeRL.Cli.Tests;

/// <summary>
/// Seeded fuzzing of every kind of user input: whatever the input, piperl answers with exit 0, 1 or 2 and at most one
/// line on stderr, never an internal error or a stack trace.
/// </summary>
public sealed class InputFuzzTests : IDisposable
{
    private static readonly string[] Values = ["null", "-1", "0", "1.5", "1e308", "-1e308", "\"x\"", "\"\"", "true", "[]", "{}", "1000000000001", "\"1/0\""];

    private readonly TempDirectory _temp = new();

    private string Runs => Path.Combine(_temp.Path, "runs");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void CommandLineArguments()
    {
        string[] tokens =
        [
            "--seed", "--steps", "--threads", "--tau", "--name", "--eval-episodes", "--learning-rate", "--num-envs", "--gamma", "--arch", "--env",
            "--preset", "--config", "--resume", "--checkpoint-every", "-1", "0", "1", "nan", "1e40", "abc", "1/0", "2147483648", "", "/", "..",
            new string('a', 300), "minatar/pong", "instant", "x.json",
        ];
        var random = new Random(17);
        for (var i = 0; i < 150; i++)
        {
            string[] head = random.Next(3) switch
            {
                0 => ["train", "--runs-dir", Runs, "--env", "classic/cartpole", "--steps", "256", "--num-envs", "2", "--num-steps", "128", "--num-minibatches", "1", "--eval-episodes", "0"],
                1 => ["inspect", "pipelined", "--obs-shape", "4", "--actions", "2"],
                _ => ["eval", "nothing", "--runs-dir", Runs],
            };
            var extra = Enumerable.Range(0, random.Next(1, 5)).Select(_ => tokens[random.Next(tokens.Length)]);
            Check([.. head, .. extra], $"case {i}");
        }
    }

    [Fact]
    public void ConfigJson()
    {
        var baseConfig = """{"env":"classic/cartpole","steps":256,"evalEpisodes":0,"ppo":{"numEnvs":2,"numSteps":128,"numMinibatches":1}}""";
        var keys = new[] { "env", "arch", "tau", "steps", "seed", "preset", "name", "evalEpisodes", "threads", "checkpointEvery", "algo", "ppo", "actor" };
        var ppoKeys = new[] { "numEnvs", "numSteps", "learningRate", "gamma", "gaeLambda", "updateEpochs", "numMinibatches", "clipCoef", "maxGradNorm", "targetKl", "updateScheme" };
        var random = new Random(23);
        var file = Path.Combine(_temp.Path, "c.json");
        for (var i = 0; i < 100; i++)
        {
            var json = JsonNode.Parse(baseConfig)!.AsObject();
            var value = JsonNode.Parse(Values[random.Next(Values.Length)]);
            if (random.Next(2) == 0)
            {
                json[keys[random.Next(keys.Length)]] = value;
            }
            else
            {
                json["ppo"]!.AsObject()[ppoKeys[random.Next(ppoKeys.Length)]] = value;
            }

            var text = json.ToJsonString();
            File.WriteAllText(file, random.Next(4) == 0 ? text[..random.Next(text.Length)] : text);
            Check(["train", "--runs-dir", Runs, "--config", file], $"case {i}: {File.ReadAllText(file)}");
        }
    }

    [Fact]
    public void GraphJson()
    {
        var (code, graph, err) = Run("inspect", "temporal-skip-aug", "--obs-shape", "6", "--actions", "3", "--json");
        Assert.True(code == PiperlApp.Success, err);
        var attributes = new[] { "units", "kernel", "stride", "padding", "shape", "inputs", "kind", "name", "activation", "start", "length" };
        var random = new Random(29);
        var file = Path.Combine(_temp.Path, "g.json");
        for (var i = 0; i < 200; i++)
        {
            var json = JsonNode.Parse(graph)!.AsObject();
            var layers = json["layers"]!.AsArray();
            var layer = layers[random.Next(layers.Count)]!.AsObject();
            layer[attributes[random.Next(attributes.Length)]] = JsonNode.Parse(random.Next(3) == 0 ? "2000000000" : Values[random.Next(Values.Length)]);
            if (random.Next(5) == 0)
            {
                layers.RemoveAt(random.Next(layers.Count));
            }

            var text = json.ToJsonString();
            File.WriteAllText(file, random.Next(5) == 0 ? text[..random.Next(text.Length)] : text);
            Check(["inspect", file], $"case {i}: {File.ReadAllText(file)}");
        }
    }

    [Fact]
    public void CheckpointsAndStudyFiles()
    {
        var (code, _, err) = Run("train", "--runs-dir", Runs, "--env", "classic/cartpole", "--steps", "256", "--num-envs", "2", "--num-steps", "128", "--num-minibatches", "1", "--eval-episodes", "2", "--name", "base");
        Assert.True(code == PiperlApp.Success, err);
        var baseRun = Path.Combine(Runs, "base");
        var checkpoint = File.ReadAllBytes(Path.Combine(baseRun, "checkpoint.ckpt"));
        var random = new Random(31);
        for (var i = 0; i < 60; i++)
        {
            var run = Path.Combine(_temp.Path, $"ck{i}");
            Directory.CreateDirectory(run);
            foreach (var f in new[] { "config.json", "metrics.csv", "run.id" })
            {
                File.Copy(Path.Combine(baseRun, f), Path.Combine(run, f));
            }

            var bytes = (byte[])checkpoint.Clone();
            if (random.Next(3) == 0)
            {
                bytes = bytes[..random.Next(bytes.Length)];
            }
            else
            {
                for (var k = random.Next(1, 4); k > 0; k--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
                }
            }

            File.WriteAllBytes(Path.Combine(run, "checkpoint.ckpt"), bytes);
            Check(["train", "--resume", run], $"checkpoint case {i}");
        }

        var evaluation = File.ReadAllText(Path.Combine(baseRun, "evaluation.json"));
        var config = File.ReadAllText(Path.Combine(baseRun, "config.json"));
        var summaryKeys = new[] { "env", "arch", "tau", "delayTicks", "ticks", "envSteps", "trainSeconds", "sampled", "greedy" };
        for (var i = 0; i < 100; i++)
        {
            var study = Path.Combine(_temp.Path, $"study{i}");
            var run = Directory.CreateDirectory(Path.Combine(study, "r")).FullName;
            var json = JsonNode.Parse(evaluation)!.AsObject();
            var target = random.Next(3) == 0 ? json["sampled"]!.AsObject() : json;
            var key = random.Next(3) == 0 ? "returns" : summaryKeys[random.Next(summaryKeys.Length)];
            target[key] = JsonNode.Parse(Values[random.Next(Values.Length)]);
            var text = json.ToJsonString();
            File.WriteAllText(Path.Combine(run, "evaluation.json"), random.Next(5) == 0 ? text[..random.Next(text.Length)] : text);
            File.WriteAllText(Path.Combine(run, "config.json"), random.Next(5) == 0 ? config[..random.Next(config.Length)] : config);
            File.Copy(Path.Combine(baseRun, "metrics.csv"), Path.Combine(run, "metrics.csv"));
            Check(["study", "report", study], $"study case {i}: {text}");
        }
    }

    [SkippableFact]
    public void GoldenTraces()
    {
        var lines = File.ReadLines(SharedData.Require("minatar/golden/traces/breakout_lcg_seed0_sticky0.1.jsonl")).Take(30).ToArray();
        var acts = lines.Count(l => l.Contains("\"op\":\"act\"", StringComparison.Ordinal));
        lines[0] = lines[0].Replace("\"max_acts\":1500", $"\"max_acts\":{acts}", StringComparison.Ordinal);
        var random = new Random(37);
        var file = Path.Combine(_temp.Path, "t.jsonl");
        for (var i = 0; i < 100; i++)
        {
            var edited = (string[])lines.Clone();
            var at = random.Next(edited.Length);
            edited[at] = random.Next(3) switch
            {
                0 => edited[at][..random.Next(edited[at].Length)],
                1 => edited[at].Replace(":", ":" + Values[random.Next(Values.Length)] + ",", StringComparison.Ordinal),
                _ => edited[at].Replace("0", Values[random.Next(Values.Length)], StringComparison.Ordinal),
            };
            File.WriteAllLines(file, random.Next(5) == 0 ? edited[..random.Next(edited.Length)] : edited);
            Check(["minatar", "verify", file], $"trace case {i}");
        }
    }

    private static void Check(string[] args, string what)
    {
        var (code, _, err) = Run(args);
        Assert.True(code is PiperlApp.Success or PiperlApp.Failure or PiperlApp.UsageError, $"{what}: exit {code}");
        Assert.False(err.Contains("internal error", StringComparison.Ordinal), $"{what}: {err}");
        Assert.True(err.TrimEnd().Split('\n').Length <= 1, $"{what}: {err}");
    }
}
