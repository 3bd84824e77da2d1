using System.CommandLine;
using System.Globalization;
using PipeRL.Bench.Harness;
using PipeRL.Bench.Pipeline;
using PipeRL.Pipeline.Analysis;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Cli.Commands;

/// <summary><c>piperl inspect</c>: a network's layers, shapes, parameter counts and exact delays.</summary>
internal static class InspectCommand
{
    /// <summary>Creates the <c>inspect</c> command.</summary>
    public static Command Create()
    {
        var arch = new Argument<string>("ARCH")
        {
            Description = $"A catalogue architecture ({string.Join(", ", ArchitectureCatalogue.Names)}) or a graph description file (.json).",
        };
        var obsShape = new Option<string?>("--obs-shape") { Description = "Observation shape: n for a vector (MLP torso) or H,W,C for an image (CNN torso), e.g. 10,10,4." };
        var actions = new Option<int>("--actions") { Description = "Number of discrete actions (or action dimensions with --continuous).", DefaultValueFactory = _ => 0 };
        var continuous = new Option<bool>("--continuous") { Description = "Continuous actions: a Gaussian head instead of a categorical one." };
        var tau = new Option<string>("--tau") { Description = "Tick length in env steps: k (integer >= 1) or 1/m.", DefaultValueFactory = _ => "1" };
        var hidden = new Option<int>("--hidden-layers") { Description = "Hidden layers of an MLP torso.", DefaultValueFactory = _ => 2 };
        var width = new Option<int>("--width") { Description = "Width of the hidden layers of an MLP torso.", DefaultValueFactory = _ => 256 };
        var cnn = new Option<string>("--cnn") { Description = "CNN torso for image observations: minatar (32-64-64 convs + 512), minatar-undelayed (the authors' undelayed actor: 16-32-32 convs + 512) or minatar-small (16 conv + 128).", DefaultValueFactory = _ => "minatar" };
        var history = new Option<int?>("--history") { Description = "Past actions appended to the input (default: the architecture's)." };
        var obsToHead = new Option<bool>("--observation-to-head") { Description = "hidden-to-head: also feed the observation to the head (the authors' ActorSlowSkip)." };
        var json = new Option<bool>("--json") { Description = "Print the graph description as JSON instead of the report." };
        var timings = new Option<bool>("--timings") { Description = "Also show how an executor with a worker pool runs a tick (threads, layers per thread) and time it against one thread." };
        var batch = new Option<int>("--batch") { Description = "Envs per tick for --timings.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Threads of the worker pool for --timings.", DefaultValueFactory = _ => 2 };

        var command = new Command("inspect", "Show a network's layers, shapes, parameter counts and delays (ticks and env steps).")
        {
            arch, obsShape, actions, continuous, tau, hidden, width, cnn, history, obsToHead, json, timings, batch, threads,
        };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var tick = TauOption.Parse(parseResult.GetValue(tau)!);
            var name = parseResult.GetValue(arch)!;
            PipelineGraph graph;
            var instant = false;
            string title;
            if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                graph = LoadGraph(name);
                title = $"Graph {Path.GetFileName(name)}";
            }
            else
            {
                var architecture = Build(name, new ArchitectureOptions
                {
                    ObservationShape = ParseShape(parseResult.GetValue(obsShape)),
                    Actions = RequireActions(parseResult.GetValue(actions)),
                    ContinuousActions = parseResult.GetValue(continuous),
                    HiddenLayers = parseResult.GetValue(hidden),
                    Width = parseResult.GetValue(width),
                    Cnn = ParseCnn(parseResult.GetValue(cnn)!),
                    HistoryLength = parseResult.GetValue(history),
                    ObservationToHead = parseResult.GetValue(obsToHead),
                });
                graph = architecture.Graph;
                instant = architecture.Mode == ExecutionMode.Instant;
                title = $"Architecture {architecture.Name}: {architecture.Description}"
                    + (architecture.HistoryLength > 0 ? $"; input = [observation; last {architecture.HistoryLength} actions]" : string.Empty);
            }

            var timed = parseResult.GetValue(timings);
            var rows = parseResult.GetValue(batch);
            var poolThreads = parseResult.GetValue(threads);
            if (timed && (rows < 1 || poolThreads < 2 || poolThreads > 64))
            {
                throw new UsageException($"--batch must be at least 1 and --threads in [2, 64], got {rows} and {poolThreads}.");
            }

            output.Write(parseResult.GetValue(json) ? GraphJson.Write(graph) + Environment.NewLine : InspectReport.Render(graph, tick, instant, title));
            if (timed)
            {
                var runner = new BenchRunner(7, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(20));
                var network = new PipelineNetwork(graph, new SeededRandom(1));
                foreach (var line in TickTimings.Measure(network, instant ? ExecutionMode.Instant : ExecutionMode.Pipelined, rows, poolThreads, runner))
                {
                    output.WriteLine(line);
                }
            }

            return PiperlApp.Success;
        });
        return command;
    }

    private static Architecture Build(string name, ArchitectureOptions options)
    {
        try
        {
            return ArchitectureCatalogue.Build(name, options);
        }
        catch (ArgumentException ex) when (ex.ParamName is "name" or "options")
        {
            // The catalogue's checks of the name and of the options given on the command line.
            throw UsageException.From(ex);
        }
        catch (GraphException ex)
        {
            throw UsageException.From(ex);
        }
    }

    private static PipelineGraph LoadGraph(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"graph file '{path}' does not exist.");
        }

        try
        {
            return GraphJson.Parse(File.ReadAllText(path));
        }
        catch (GraphException ex)
        {
            throw UsageException.From(ex, path);
        }
    }

    private static int RequireActions(int actions) => actions >= 1
        ? actions
        : throw new UsageException("--actions N is required for a catalogue architecture (N >= 1).");

    private static int[] ParseShape(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UsageException("--obs-shape is required for a catalogue architecture: n for a vector or H,W,C for an image.");
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var shape = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]) || shape[i] <= 0)
            {
                throw new UsageException($"--obs-shape '{text}' is not a list of positive integers such as 17 or 10,10,4.");
            }
        }

        return shape;
    }

    private static CnnTorso ParseCnn(string text) => text switch
    {
        "minatar" => CnnTorso.MinAtar,
        "minatar-undelayed" => CnnTorso.MinAtarUndelayed,
        "minatar-small" => CnnTorso.MinAtarSmall,
        _ => throw new UsageException($"--cnn '{text}' is unknown; use minatar, minatar-undelayed or minatar-small."),
    };
}
