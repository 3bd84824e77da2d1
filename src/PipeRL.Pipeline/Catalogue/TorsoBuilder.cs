using PipeRL.Pipeline.Graph;

namespace PipeRL.Pipeline.Catalogue;

/// <summary>Builds the catalogue's graphs for one set of options (one builder per graph).</summary>
internal sealed class TorsoBuilder(ArchitectureOptions options, int history)
{
    private static readonly float InverseSqrt2 = 1f / MathF.Sqrt(2f);
    private readonly GraphBuilder _b = new();
    private GraphNode? _history;
    private GraphNode? _observationFlat;
    private GraphNode _image;

    /// <summary>The plain MLP: hidden layers one after another, then the head.</summary>
    public PipelineGraph MlpPlain()
    {
        var h = MlpInput();
        for (var i = 1; i <= options.HiddenLayers; i++)
        {
            h = _b.Dense($"fc{i}", h, options.Width, Activation.Relu);
        }

        Head(h);
        return _b.Build();
    }

    /// <summary>The authors' residual MLP: residual links between hidden layers, the observation and every hidden layer to the head.</summary>
    public PipelineGraph MlpResidual()
    {
        var x = MlpInput();
        var hidden = Residual(x, options.HiddenLayers, (i, input) => _b.Dense($"fc{i + 1}", input, options.Width, Activation.Relu), _ => [options.Width]);
        Head(_b.Concat("policy_in", [x, .. hidden.Select(h => h.PreviousTick)]));
        return _b.Build();
    }

    /// <summary>Every hidden layer projects to the head (and the observation too with <see cref="ArchitectureOptions.ObservationToHead"/>).</summary>
    public PipelineGraph MlpHiddenToHead()
    {
        var x = MlpInput();
        var hidden = new List<GraphNode>();
        var h = x;
        for (var i = 1; i <= options.HiddenLayers; i++)
        {
            h = _b.Dense($"fc{i}", h, options.Width, Activation.Relu);
            hidden.Add(h);
        }

        LayerPort[] parts = options.ObservationToHead ? [x, .. hidden.Select(p => (LayerPort)p)] : [.. hidden.Select(p => (LayerPort)p)];
        Head(parts.Length == 1 ? hidden[0] : _b.Concat("policy_in", parts));
        return _b.Build();
    }

    /// <summary>The observation into every hidden layer and the head.</summary>
    public PipelineGraph MlpTemporalSkip()
    {
        var x = MlpInput();
        var h = _b.Dense("fc1", x, options.Width, Activation.Relu);
        for (var i = 2; i <= options.HiddenLayers; i++)
        {
            h = _b.Dense($"fc{i}", _b.Concat($"fc{i}_in", x, h), options.Width, Activation.Relu);
        }

        Head(_b.Concat("policy_in", x, h));
        return _b.Build();
    }

    /// <summary>A dense layer, then LSTM cells for the later hidden layers.</summary>
    public PipelineGraph MlpLstm()
    {
        if (options.HiddenLayers < 2)
        {
            throw new ArgumentException("Architecture 'lstm' needs at least 2 hidden layers (a dense layer, then LSTM cells).", nameof(options));
        }

        var h = _b.Dense("fc1", MlpInput(), options.Width, Activation.Relu);
        for (var i = 2; i <= options.HiddenLayers; i++)
        {
            h = _b.LstmCell($"lstm{i}", h, options.Width);
        }

        Head(h);
        return _b.Build();
    }

    /// <summary>The plain CNN: convolutions, dense layers, the head.</summary>
    public PipelineGraph CnnPlain()
    {
        var (convs, dense) = Torso(options.Cnn);
        var c = Image();
        for (var i = 0; i < convs.Length; i++)
        {
            c = Conv(i, c);
        }

        Head(WithHistory("policy", DenseStack(dense, _b.Flatten("conv_flat", c), "fc", lstm: false)));
        return _b.Build();
    }

    /// <summary>The authors' residual CNN: residual links between convolutions and between dense layers, all to the head.</summary>
    public PipelineGraph CnnResidual()
    {
        var (convs, dense) = Torso(options.Cnn);
        var hidden = Residual(Image(), convs.Length, Conv, i => ConvShape(convs, i));
        var flat = _b.Flatten("conv_flat", hidden[^1].PreviousTick);
        var fcs = Residual(flat, dense.Length, (j, input) => _b.Dense($"fc{j + 1}", WithHistory($"fc{j + 1}", input), dense[j], Activation.Relu), j => [dense[j]]);
        LayerPort[] parts =
        [
            ObservationFlat(),
            .. hidden.Select((h, i) => (LayerPort)_b.Flatten($"conv{i + 1}_flat", h.PreviousTick)),
            .. fcs.Select(h => h.PreviousTick),
        ];
        Head(Concat("policy", parts));
        return _b.Build();
    }

    /// <summary>Every convolution and dense layer projects to the head.</summary>
    public PipelineGraph CnnHiddenToHead()
    {
        var (convs, dense) = Torso(options.Cnn);
        var c = Image();
        var parts = new List<LayerPort>();
        if (options.ObservationToHead)
        {
            parts.Add(ObservationFlat());
        }

        for (var i = 0; i < convs.Length; i++)
        {
            c = Conv(i, c);
            parts.Add(_b.Flatten($"conv{i + 1}_flat", c));
        }

        var h = _b.Flatten("conv_flat", c);
        for (var j = 0; j < dense.Length; j++)
        {
            h = _b.Dense($"fc{j + 1}", WithHistory($"fc{j + 1}", h), dense[j], Activation.Relu);
            parts.Add(h);
        }

        Head(Concat("policy", [.. parts]));
        return _b.Build();
    }

    /// <summary>The observation into every convolution after the first, every dense layer and the head.</summary>
    public PipelineGraph CnnTemporalSkip()
    {
        var (convs, dense) = Torso(options.Cnn);
        var x = Image();
        var c = Conv(0, x);
        for (var i = 1; i < convs.Length; i++)
        {
            c = Conv(i, _b.Concat($"conv{i + 1}_in", x, c));
        }

        LayerPort h = _b.Flatten("conv_flat", c);
        for (var j = 0; j < dense.Length; j++)
        {
            h = _b.Dense($"fc{j + 1}", Concat($"fc{j + 1}", ObservationFlat(), h), dense[j], Activation.Relu);
        }

        Head(Concat("policy", ObservationFlat(), h));
        return _b.Build();
    }

    /// <summary>
    /// The authors' SkipRes model: the observation and every convolution's output into the dense layer;
    /// <paramref name="sameTick"/> chains the convolutions within one tick as they do, false one per tick.
    /// </summary>
    public PipelineGraph CnnSkipRes(bool sameTick)
    {
        var (convs, dense) = Torso(options.Cnn);
        var c = Conv(0, Image());
        var parts = new List<LayerPort> { ObservationFlat(), _b.Flatten("conv1_flat", c) };
        for (var i = 1; i < convs.Length; i++)
        {
            // The authors' conv reads its predecessor's previous and same-tick values; the strict form only the previous.
            c = sameTick ? Conv(i, _b.Concat($"conv{i + 1}_in", c.PreviousTick, c.SameTick)) : Conv(i, c);
            parts.Add(_b.Flatten($"conv{i + 1}_flat", c));
        }

        Head(WithHistory("policy", DenseStack(dense, _b.Concat("skip", [.. parts]), "fc", lstm: false)));
        return _b.Build();
    }

    /// <summary>Convolutions, then LSTM cells in place of the dense layers.</summary>
    public PipelineGraph CnnLstm()
    {
        var (convs, dense) = Torso(options.Cnn);
        var c = Image();
        for (var i = 0; i < convs.Length; i++)
        {
            c = Conv(i, c);
        }

        Head(WithHistory("policy", DenseStack(dense, _b.Flatten("conv_flat", c), "lstm", lstm: true)));
        return _b.Build();
    }

    /// <summary>
    /// The undelayed critic (CleanRL's): a tanh MLP for vector observations; for images the CNN torso with ReLUs and
    /// the action history beside the flat features of every dense layer; then the value head.
    /// </summary>
    public PipelineGraph Critic()
    {
        LayerPort h;
        if (options.ObservationShape.Count == 1)
        {
            h = MlpInput();
            for (var i = 1; i <= options.HiddenLayers; i++)
            {
                h = _b.Dense($"fc{i}", h, options.Width, Activation.Tanh);
            }
        }
        else
        {
            var (convs, dense) = Torso(options.Cnn);
            var c = Image();
            for (var i = 0; i < convs.Length; i++)
            {
                c = Conv(i, c);
            }

            h = WithHistory(ArchitectureCatalogue.ValueName, DenseStack(dense, _b.Flatten("conv_flat", c), "fc", lstm: false));
        }

        _b.ValueHead(ArchitectureCatalogue.ValueName, h);
        return _b.Build();
    }

    private static (LayerSpec[] Convs, int[] Dense) Torso(CnnTorso torso) => torso switch
    {
        CnnTorso.MinAtar =>
        (
            [ConvSpec(32, 1), ConvSpec(64, 1), ConvSpec(64, 1)],
            [512]
        ),
        CnnTorso.MinAtarUndelayed =>
        (
            [ConvSpec(16, 1), ConvSpec(32, 1), ConvSpec(32, 1)],
            [512]
        ),
        CnnTorso.MinAtarSmall => ([ConvSpec(16, 0)], [128]),
        _ => throw new ArgumentOutOfRangeException(nameof(torso), torso, "Unknown CNN torso."),
    };

    private static LayerSpec ConvSpec(int channels, int padding) =>
        new(string.Empty, LayerKind.Conv2d, []) { Units = channels, Kernel = 3, Stride = 1, Padding = padding, Activation = Activation.Relu };

    private GraphNode MlpInput() => _b.Input(ArchitectureCatalogue.InputName, options.ObservationShape[0] + (history * options.ActionWidth));

    private GraphNode Image()
    {
        var shape = options.ObservationShape;
        var pixels = shape[0] * shape[1] * shape[2];
        GraphNode hwc;
        if (history > 0)
        {
            var input = _b.Input(ArchitectureCatalogue.InputName, pixels + (history * options.ActionWidth));
            hwc = _b.Reshape("obs_image", _b.Slice("obs_pixels", input, 0, pixels), shape[0], shape[1], shape[2]);
            _history = _b.Slice("history", input, pixels, history * options.ActionWidth);
        }
        else
        {
            hwc = _b.Input(ArchitectureCatalogue.InputName, shape[0], shape[1], shape[2]);
        }

        _image = hwc;
        return hwc;
    }

    private GraphNode ObservationFlat() => _observationFlat ??= _b.Flatten("obs_flat", _image);

    private GraphNode Conv(int index, LayerPort input)
    {
        var spec = Torso(options.Cnn).Convs[index];
        return _b.Conv2d($"conv{index + 1}", input, spec.Units, spec.Kernel, spec.Stride, spec.Padding, Activation.Relu);
    }

    private int[] ConvShape(LayerSpec[] convs, int index)
    {
        var size = options.ObservationShape[0];
        for (var i = 0; i <= index; i++)
        {
            size = ((size + (2 * convs[i].Padding) - convs[i].Kernel) / convs[i].Stride) + 1;
        }

        return [size, size, convs[index].Units];
    }

    private GraphNode DenseStack(int[] dense, LayerPort input, string prefix, bool lstm)
    {
        GraphNode h = default;
        for (var j = 0; j < dense.Length; j++)
        {
            var name = $"{prefix}{j + 1}";
            var features = WithHistory(name, j == 0 ? input : h);
            h = lstm ? _b.LstmCell(name, features, dense[j]) : _b.Dense(name, features, dense[j], Activation.Relu);
        }

        return h;
    }

    private LayerPort WithHistory(string layer, LayerPort input) => _history is { } history
        ? _b.Concat($"{layer}_in", input, history)
        : input;

    private LayerPort Concat(string layer, params LayerPort[] parts)
    {
        LayerPort[] all = _history is { } history ? [.. parts, history] : parts;
        return all.Length == 1 ? all[0] : _b.Concat($"{layer}_in", all);
    }

    private void Head(LayerPort input)
    {
        if (options.ContinuousActions)
        {
            _b.GaussianHead(ArchitectureCatalogue.PolicyName, input, options.Actions);
        }
        else
        {
            _b.CategoricalHead(ArchitectureCatalogue.PolicyName, input, options.Actions);
        }
    }

    /// <summary>
    /// The authors' residual stack: g_i = layer_i(h_(i−1) of the previous tick) and h_i = (g_i + g_(i−1)) / √2 of
    /// the same tick when their shapes match, else g_i / √2 (h_0 is the stack's input, read at the same tick).
    /// </summary>
    private List<GraphNode> Residual(LayerPort first, int count, Func<int, LayerPort, GraphNode> make, Func<int, int[]> shape)
    {
        var outputs = new List<GraphNode>();
        var gs = new List<GraphNode>();
        var input = first;
        for (var i = 0; i < count; i++)
        {
            var g = make(i, input);
            var name = g.Name;
            var h = i > 0 && shape(i).AsSpan().SequenceEqual(shape(i - 1))
                ? _b.Scale($"{name}_res", _b.Add($"{name}_sum", g.SameTick, gs[i - 1].SameTick), InverseSqrt2)
                : _b.Scale($"{name}_res", g.SameTick, InverseSqrt2);
            gs.Add(g);
            outputs.Add(h);
            input = h.PreviousTick;
        }

        return outputs;
    }
}
