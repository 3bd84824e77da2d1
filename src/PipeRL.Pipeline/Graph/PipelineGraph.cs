namespace PipeRL.Pipeline.Graph;

/// <summary>
/// A validated pipelined network: layers joined into a graph whose edges read their source's value from the
/// same tick or the previous one. Every layer computes once per tick; the action applied during tick t+1 comes
/// from the head's value of tick t. Built with <see cref="GraphBuilder"/> or from JSON (<see cref="GraphJson"/>).
/// </summary>
public sealed class PipelineGraph
{
    private readonly Dictionary<string, int> _byName;

    /// <summary>Validates <paramref name="specs"/> and builds the graph; throws <see cref="GraphException"/> when invalid.</summary>
    public PipelineGraph(IReadOnlyList<LayerSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        if (specs.Count == 0)
        {
            throw new GraphException("The graph has no layers; add an input, some layers and a head.");
        }

        _byName = IndexNames(specs);
        var edges = ResolveEdges(specs, _byName);
        var order = SameTickOrder(specs, edges);
        TickOrder = order;
        var (shapes, counts) = InferShapes(specs, edges, order);
        var layers = new GraphLayer[specs.Count];
        for (var i = 0; i < specs.Count; i++)
        {
            layers[i] = new GraphLayer(i, specs[i], edges[i], shapes[i]!, counts[i]);
        }

        foreach (var layer in layers)
        {
            foreach (var edge in layer.Inputs)
            {
                if (edge.Timing == TickTiming.SameTick && layers[edge.Source].IsComputing)
                {
                    layer.HasSameTickLayerInput = true;
                }
            }
        }

        Layers = layers;
        Inputs = [.. layers.Where(l => l.Kind == LayerKind.Input).Select(l => l.Index)];
        Heads = [.. layers.Where(l => l.IsHead).Select(l => l.Index)];
        CheckConnectivity(layers, Inputs, Heads);
        ParameterCount = layers.Sum(l => l.ParameterCount);
    }

    /// <summary>The layers in declaration order.</summary>
    public IReadOnlyList<GraphLayer> Layers { get; }

    /// <summary>Indices of the graph inputs.</summary>
    public IReadOnlyList<int> Inputs { get; }

    /// <summary>Indices of the output heads.</summary>
    public IReadOnlyList<int> Heads { get; }

    /// <summary>An order of all layers in which every same-tick source comes before its reader (the order within a tick).</summary>
    public IReadOnlyList<int> TickOrder { get; }

    /// <summary>The number of trainable parameters of the whole graph.</summary>
    public long ParameterCount { get; }

    /// <summary>Whether some layer reads a computing layer's value from the same tick (the authors' cnn-skipres).</summary>
    public bool HasSameTickLayers => Layers.Any(l => l.HasSameTickLayerInput);

    /// <summary>The layer named <paramref name="name"/>.</summary>
    public GraphLayer this[string name] => _byName.TryGetValue(name, out var index)
        ? Layers[index]
        : throw new KeyNotFoundException($"The graph has no layer '{name}'; it has: {string.Join(", ", _byName.Keys)}.");

    /// <summary>The layer descriptions, with every timing made explicit.</summary>
    public IReadOnlyList<LayerSpec> ToSpecs() => [.. Layers.Select(l => l.Spec with
    {
        Inputs = [.. l.Inputs.Select(e => new LayerInput(Layers[e.Source].Name, e.Timing))],
    })];

    /// <summary>The timing an input without an explicit one gets: previous tick from computing layers, else same tick.</summary>
    public static TickTiming DefaultTiming(LayerKind sourceKind) =>
        LayerSpec.IsComputing(sourceKind) ? TickTiming.PreviousTick : TickTiming.SameTick;

    private static Dictionary<string, int> IndexNames(IReadOnlyList<LayerSpec> specs)
    {
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < specs.Count; i++)
        {
            var name = specs[i].Name;
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new GraphException($"Layer #{i} ({specs[i].Kind}) has no name; give every layer a unique name.");
            }

            if (!byName.TryAdd(name, i))
            {
                throw new GraphException($"Two layers are named '{name}'; layer names must be unique.");
            }
        }

        return byName;
    }

    private static GraphEdge[][] ResolveEdges(IReadOnlyList<LayerSpec> specs, Dictionary<string, int> byName)
    {
        var edges = new GraphEdge[specs.Count][];
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            var (min, max) = ShapeInference.Arity(spec.Kind);
            if (spec.Inputs.Count < min || spec.Inputs.Count > max)
            {
                var expected = min == max ? $"{min}" : $"at least {min}";
                throw new GraphException(spec.Kind == LayerKind.Input
                    ? $"Input '{spec.Name}' cannot read other layers."
                    : $"Layer '{spec.Name}' ({spec.Kind}) has {spec.Inputs.Count} inputs but needs {expected}; connect its inputs.");
            }

            CheckAttributes(spec);
            edges[i] = new GraphEdge[spec.Inputs.Count];
            for (var j = 0; j < spec.Inputs.Count; j++)
            {
                var input = spec.Inputs[j];
                if (!byName.TryGetValue(input.Source ?? string.Empty, out var source))
                {
                    throw new GraphException($"Layer '{spec.Name}' reads '{input.Source}', which is not a layer of the graph (layers: {string.Join(", ", byName.Keys)}).");
                }

                edges[i][j] = new GraphEdge(source, input.Timing ?? DefaultTiming(specs[source].Kind));
            }
        }

        return edges;
    }

    private static void CheckAttributes(LayerSpec spec)
    {
        if (spec.Kind == LayerKind.Input && (spec.Shape.Count == 0 || spec.Shape.Any(d => d <= 0)))
        {
            throw new GraphException($"Input '{spec.Name}' needs a shape of positive sizes, got {ShapeInference.Text(spec.Shape)}.");
        }

        if (spec.Kind is LayerKind.Dense or LayerKind.Conv2d or LayerKind.LstmCell or LayerKind.CategoricalHead or LayerKind.GaussianHead
            && spec.Units <= 0)
        {
            throw new GraphException($"Layer '{spec.Name}' ({spec.Kind}) needs a positive number of units, got {spec.Units}.");
        }

        if (spec.Padding < 0 || spec.Stride < 0)
        {
            throw new GraphException($"Layer '{spec.Name}' has a negative padding or stride.");
        }
    }

    private static int[] SameTickOrder(IReadOnlyList<LayerSpec> specs, GraphEdge[][] edges)
    {
        // Kahn's algorithm over same-tick edges; ties keep declaration order so the order is deterministic.
        var pending = new int[specs.Count];
        var readers = new List<int>[specs.Count];
        for (var i = 0; i < specs.Count; i++)
        {
            readers[i] = [];
        }

        for (var i = 0; i < specs.Count; i++)
        {
            foreach (var edge in edges[i].Where(e => e.Timing == TickTiming.SameTick))
            {
                pending[i]++;
                readers[edge.Source].Add(i);
            }
        }

        var order = new List<int>(specs.Count);
        var ready = new SortedSet<int>(Enumerable.Range(0, specs.Count).Where(i => pending[i] == 0));
        while (ready.Count > 0)
        {
            var next = ready.Min;
            ready.Remove(next);
            order.Add(next);
            foreach (var reader in readers[next])
            {
                if (--pending[reader] == 0)
                {
                    ready.Add(reader);
                }
            }
        }

        if (order.Count < specs.Count)
        {
            var cycle = FindSameTickCycle(specs, edges, pending);
            throw new GraphException($"Layers {cycle} form a loop within one tick; read one of them from the previous tick (timing \"previous\").");
        }

        return [.. order];
    }

    private static string FindSameTickCycle(IReadOnlyList<LayerSpec> specs, GraphEdge[][] edges, int[] pending)
    {
        // Walk backwards along same-tick edges among the unresolved layers until a layer repeats.
        var start = Array.FindIndex(pending, p => p > 0);
        var path = new List<int> { start };
        var current = start;
        while (true)
        {
            current = edges[current].First(e => e.Timing == TickTiming.SameTick && pending[e.Source] > 0).Source;
            var seen = path.IndexOf(current);
            if (seen >= 0)
            {
                var loop = path.Skip(seen).Reverse().Append(current).Select(i => specs[i].Name);
                return string.Join(" -> ", loop);
            }

            path.Add(current);
        }
    }

    private static (int[]?[] Shapes, long[] Counts) InferShapes(IReadOnlyList<LayerSpec> specs, GraphEdge[][] edges, int[] order)
    {
        var shapes = new int[]?[specs.Count];
        var counts = new long[specs.Count];
        var known = 0;
        bool progress;
        do
        {
            progress = false;
            foreach (var i in order)
            {
                if (shapes[i] is not null)
                {
                    continue;
                }

                if (edges[i].Any(e => shapes[e.Source] is null))
                {
                    // A dense-like layer's shape follows from its units alone, which lets previous-tick loops resolve.
                    shapes[i] = ShapeInference.OutputShapeWithoutInputs(specs[i]);
                }
                else
                {
                    shapes[i] = ShapeInference.OutputShape(specs[i], [.. edges[i].Select(e => shapes[e.Source]!)]);
                }

                if (shapes[i] is not null)
                {
                    known++;
                    progress = true;
                }
            }
        }
        while (progress && known < specs.Count);

        if (known < specs.Count)
        {
            var stuck = string.Join(", ", Enumerable.Range(0, specs.Count).Where(i => shapes[i] is null).Select(i => specs[i].Name));
            throw new GraphException($"The shapes of layers {stuck} depend only on each other through previous-tick loops; feed the loop from an input.");
        }

        for (var i = 0; i < specs.Count; i++)
        {
            var inputs = edges[i].Select(e => shapes[e.Source]!).ToArray();
            var shape = ShapeInference.OutputShape(specs[i], inputs);
            if (!shape.AsSpan().SequenceEqual(shapes[i]))
            {
                throw new GraphException($"Layer '{specs[i].Name}' cannot take its inputs {string.Join(" and ", inputs.Select(ShapeInference.Text))}.");
            }

            counts[i] = ShapeInference.ParameterCount(specs[i], inputs);
            if (counts[i] > ShapeInference.MaxElements)
            {
                throw new GraphException($"Layer '{specs[i].Name}' would have {counts[i]:N0} parameters, more than {ShapeInference.MaxElements:N0}; use a smaller input or layer.");
            }
        }

        return (shapes, counts);
    }

    private static void CheckConnectivity(GraphLayer[] layers, IReadOnlyList<int> inputs, IReadOnlyList<int> heads)
    {
        if (inputs.Count == 0)
        {
            throw new GraphException("The graph has no input layer; add an input for the observation.");
        }

        if (heads.Count == 0)
        {
            throw new GraphException("The graph has no head; add a categorical, Gaussian or value head.");
        }

        var fromInputs = Reach(layers, inputs, forward: true);
        var toHeads = Reach(layers, heads, forward: false);
        foreach (var head in heads.Where(h => !fromInputs[h]))
        {
            throw new GraphException($"No path leads from any input to head '{layers[head].Name}'; connect it to the observation.");
        }

        foreach (var layer in layers.Where(l => !toHeads[l.Index]))
        {
            throw new GraphException(layer.Kind == LayerKind.Input
                ? $"Input '{layer.Name}' feeds no head; connect it or remove it."
                : $"Layer '{layer.Name}' feeds no head; connect it or remove it.");
        }

        foreach (var layer in layers.Where(l => !fromInputs[l.Index]))
        {
            throw new GraphException($"Layer '{layer.Name}' is reached from no input; connect it to the observation.");
        }
    }

    private static bool[] Reach(GraphLayer[] layers, IReadOnlyList<int> starts, bool forward)
    {
        var seen = new bool[layers.Length];
        var stack = new Stack<int>(starts);
        foreach (var s in starts)
        {
            seen[s] = true;
        }

        while (stack.Count > 0)
        {
            var current = stack.Pop();
            IEnumerable<int> next = forward
                ? layers.Where(l => l.Inputs.Any(e => e.Source == current)).Select(l => l.Index)
                : layers[current].Inputs.Select(e => e.Source);
            foreach (var n in next.Where(n => !seen[n]))
            {
                seen[n] = true;
                stack.Push(n);
            }
        }

        return seen;
    }
}
