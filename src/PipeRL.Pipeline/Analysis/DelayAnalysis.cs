using PipeRL.Pipeline.Graph;

namespace PipeRL.Pipeline.Analysis;

/// <summary>
/// Exact delays of a pipelined graph: for each input and head, the set of d such that the action applied at
/// tick t depends on the input of tick t − d (a path's d is its tick boundaries plus one), with its minimum
/// (the minimum delay) and maximum (the receptive window; unbounded through an LSTM or a previous-tick loop).
/// </summary>
public static class DelayAnalysis
{
    /// <summary>The most paths listed per input and head.</summary>
    public const int MaxPaths = 256;

    /// <summary>Reports for every pair of an input and a head connected by some path.</summary>
    public static IReadOnlyList<DelayReport> Analyze(PipelineGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var reports = new List<DelayReport>();
        foreach (var input in graph.Inputs)
        {
            foreach (var head in graph.Heads)
            {
                var report = Analyze(graph, input, head);
                if (report is not null)
                {
                    reports.Add(report);
                }
            }
        }

        return reports;
    }

    /// <summary>The report from input <paramref name="input"/> to head <paramref name="head"/> (by name).</summary>
    public static DelayReport Analyze(PipelineGraph graph, string input, string head)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return Analyze(graph, graph[input].Index, graph[head].Index)
            ?? throw new GraphException($"No path leads from input '{input}' to head '{head}'.");
    }

    private static DelayReport? Analyze(PipelineGraph graph, int input, int head)
    {
        var layers = graph.Layers;
        var readers = Readers(graph);
        var fromInput = Reach(layers.Count, input, n => readers[n]);
        var toHead = Reach(layers.Count, head, n => layers[n].Inputs.Select(e => e.Source));
        if (!fromInput[head])
        {
            return null;
        }

        var relevant = new bool[layers.Count];
        for (var i = 0; i < relevant.Length; i++)
        {
            relevant[i] = fromInput[i] && toHead[i];
        }

        var minimum = ShortestLag(graph, input, head, relevant) + 1;
        var unbounded = HasRelevantCycle(graph, relevant);
        var delays = unbounded ? [] : DelaySet(graph, input, head, relevant);
        var (paths, truncated) = Paths(graph, input, head, relevant);
        return new DelayReport
        {
            Input = layers[input].Name,
            Head = layers[head].Name,
            MinimumDelay = minimum,
            ReceptiveWindow = unbounded ? null : delays[^1],
            Delays = delays,
            Paths = paths,
            PathsTruncated = truncated,
        };
    }

    private static List<int>[] Readers(PipelineGraph graph)
    {
        var readers = new List<int>[graph.Layers.Count];
        for (var i = 0; i < readers.Length; i++)
        {
            readers[i] = [];
        }

        foreach (var layer in graph.Layers)
        {
            foreach (var edge in layer.Inputs)
            {
                readers[edge.Source].Add(layer.Index);
            }
        }

        return readers;
    }

    private static bool[] Reach(int count, int start, Func<int, IEnumerable<int>> next)
    {
        var seen = new bool[count];
        var stack = new Stack<int>();
        seen[start] = true;
        stack.Push(start);
        while (stack.Count > 0)
        {
            foreach (var n in next(stack.Pop()))
            {
                if (!seen[n])
                {
                    seen[n] = true;
                    stack.Push(n);
                }
            }
        }

        return seen;
    }

    private static int ShortestLag(PipelineGraph graph, int input, int head, bool[] relevant)
    {
        // 0-1 breadth-first search: same-tick edges cost 0, previous-tick edges cost 1.
        var dist = new int[graph.Layers.Count];
        Array.Fill(dist, int.MaxValue);
        var queue = new LinkedList<int>();
        dist[input] = 0;
        queue.AddFirst(input);
        var readers = Readers(graph);
        while (queue.Count > 0)
        {
            var node = queue.First!.Value;
            queue.RemoveFirst();
            foreach (var reader in readers[node].Where(r => relevant[r]))
            {
                foreach (var edge in graph.Layers[reader].Inputs.Where(e => e.Source == node))
                {
                    if (dist[node] + edge.Lag < dist[reader])
                    {
                        dist[reader] = dist[node] + edge.Lag;
                        if (edge.Lag == 0)
                        {
                            queue.AddFirst(reader);
                        }
                        else
                        {
                            queue.AddLast(reader);
                        }
                    }
                }
            }
        }

        return dist[head];
    }

    private static bool HasRelevantCycle(PipelineGraph graph, bool[] relevant)
    {
        if (graph.Layers.Any(l => l.IsRecurrent && relevant[l.Index]))
        {
            return true;
        }

        // A cycle among relevant layers (necessarily through a previous-tick edge) makes the window unbounded.
        var state = new int[graph.Layers.Count];
        bool Visit(int node)
        {
            state[node] = 1;
            foreach (var edge in graph.Layers[node].Inputs.Where(e => relevant[e.Source]))
            {
                if (state[edge.Source] == 1 || (state[edge.Source] == 0 && Visit(edge.Source)))
                {
                    return true;
                }
            }

            state[node] = 2;
            return false;
        }

        return Enumerable.Range(0, state.Length).Any(i => relevant[i] && state[i] == 0 && Visit(i));
    }

    private static int[] DelaySet(PipelineGraph graph, int input, int head, bool[] relevant)
    {
        // The relevant subgraph is acyclic here, so delay sets propagate in a topological order of all edges.
        var sets = new SortedSet<int>?[graph.Layers.Count];
        sets[input] = [0];
        SortedSet<int> Of(int node)
        {
            if (sets[node] is { } known)
            {
                return known;
            }

            var set = new SortedSet<int>();
            foreach (var edge in graph.Layers[node].Inputs.Where(e => relevant[e.Source]))
            {
                foreach (var d in Of(edge.Source))
                {
                    set.Add(d + edge.Lag);
                }
            }

            sets[node] = set;
            return set;
        }

        return [.. Of(head).Select(d => d + 1)];
    }

    private static (IReadOnlyList<DelayPath> Paths, bool Truncated) Paths(PipelineGraph graph, int input, int head, bool[] relevant)
    {
        var readers = Readers(graph);
        var found = new Dictionary<string, DelayPath>(StringComparer.Ordinal);
        var onPath = new bool[graph.Layers.Count];
        var nodes = new List<int> { input };
        var lags = new List<int>();
        var truncated = false;
        var explored = 0;

        void Walk(int node)
        {
            if (truncated)
            {
                return;
            }

            if (node == head)
            {
                var path = Condense(graph, nodes, lags);
                found.TryAdd(path.ToString(), path);
                truncated = found.Count > MaxPaths || ++explored > 64 * MaxPaths;
                return;
            }

            onPath[node] = true;
            foreach (var reader in readers[node].Where(r => relevant[r] && !onPath[r]))
            {
                foreach (var edge in graph.Layers[reader].Inputs.Where(e => e.Source == node).DistinctBy(e => e.Lag))
                {
                    nodes.Add(reader);
                    lags.Add(edge.Lag);
                    Walk(reader);
                    nodes.RemoveAt(nodes.Count - 1);
                    lags.RemoveAt(lags.Count - 1);
                }
            }

            onPath[node] = false;
        }

        Walk(input);
        var ordered = found.Values.OrderBy(p => p.Ticks).ThenBy(p => p.Layers.Count).Take(MaxPaths).ToList();
        return (ordered, truncated);
    }

    private static DelayPath Condense(PipelineGraph graph, List<int> nodes, List<int> lags)
    {
        var names = new List<string> { graph.Layers[nodes[0]].Name };
        var kept = new List<int>();
        var pending = 0;
        var total = 0;
        var computing = 0;
        for (var i = 1; i < nodes.Count; i++)
        {
            pending += lags[i - 1];
            total += lags[i - 1];
            var layer = graph.Layers[nodes[i]];
            if (layer.IsComputing)
            {
                names.Add(layer.Name);
                kept.Add(pending);
                pending = 0;
                computing++;
            }
        }

        return new DelayPath(names, kept, total + 1, computing);
    }
}
