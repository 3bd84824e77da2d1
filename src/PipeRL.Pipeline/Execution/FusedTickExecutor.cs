using System.Numerics.Tensors;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;
using PipeRL.Tensors.Kernels;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// The pipelined tick of an MLP as one block-structured product over the concatenated layer values (the authors'
/// <c>ActorSlowInParallel</c>): per env, v = [observation; every layer's value of the previous tick] and
/// u = act(W·v + b), where the block of W that maps a layer's source segment of v to its segment of u is that layer's
/// weight. <see cref="FusedLayout.Dense"/> stores W whole (zeros included, so a tick costs about N times the layers'
/// own work); <see cref="FusedLayout.BlockSparse"/> multiplies only the blocks, reading the layers' weights in place.
/// The outputs equal <see cref="PipelineExecutor"/>'s to float rounding (the sums run in another order).
/// </summary>
public sealed class FusedTickExecutor : ITickExecutor
{
    private readonly PipelineGraph _graph;
    private readonly FusedLayout _layout;
    private readonly Block[] _blocks;
    private readonly int _inputSize;
    private readonly int _columns;
    private readonly int _rows;
    private readonly float[] _v;
    private readonly float[] _u;
    private readonly float[] _weight;
    private readonly float[] _bias;
    private readonly long[] _versions;
    private readonly bool _inputSameTick;
    private readonly float[] _previousInput;
    private readonly float[][] _outputs;

    /// <summary>
    /// Creates the fused tick of <paramref name="network"/> for <paramref name="batch"/> envs, all values zero. The graph must
    /// be a pipelined MLP: one input, and every other layer dense (or a head) reading one layer or the input.
    /// </summary>
    public FusedTickExecutor(PipelineNetwork network, int batch, FusedLayout layout)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        _graph = network.Graph;
        _layout = layout;
        var plan = new TickPlan(_graph, ExecutionMode.Pipelined);
        if (_graph.Inputs.Count != 1)
        {
            throw new ArgumentException($"The fused tick runs single-input MLPs; the graph has {_graph.Inputs.Count} inputs.", nameof(network));
        }

        var input = _graph.Inputs[0];
        _inputSize = _graph.Layers[input].OutputSize;
        var offsets = new int[_graph.Layers.Count];
        var blocks = new List<Block>();
        var rows = 0;
        bool? inputSameTick = null;
        foreach (var layer in _graph.Layers.Where(l => l.Index != input))
        {
            if (network.Module(layer.Index) is not Linear linear || layer.Inputs.Count != 1)
            {
                throw new ArgumentException($"The fused tick runs MLPs of dense layers, each reading one layer; '{layer.Name}' is {layer.Kind} with {layer.Inputs.Count} inputs.", nameof(network));
            }

            var source = layer.Inputs[0].Source;
            var sameTick = plan.SameTick[layer.Index][0];
            if (source == input && inputSameTick is { } seen && seen != sameTick)
            {
                throw new ArgumentException("The fused tick needs every layer that reads the input to read it from the same tick.", nameof(network));
            }

            if (source == input)
            {
                inputSameTick = sameTick;
            }
            else if (sameTick)
            {
                throw new ArgumentException($"The fused tick runs pipelined layers; '{layer.Name}' reads '{_graph.Layers[source].Name}' of the same tick.", nameof(network));
            }

            offsets[layer.Index] = rows;
            blocks.Add(new Block(layer.Index, linear, source, rows, layer.Spec.Activation));
            rows += layer.OutputSize;
        }

        _rows = rows;
        _columns = _inputSize + rows;
        _blocks = [.. blocks.Select(b => b with { Column = b.Source == input ? 0 : _inputSize + offsets[b.Source] })];
        _inputSameTick = inputSameTick ?? true;
        _previousInput = new float[batch * _inputSize];
        _v = new float[batch * _columns];
        _u = new float[batch * _rows];
        _bias = new float[_rows];
        _versions = new long[_blocks.Length];
        _weight = layout == FusedLayout.Dense ? new float[checked(_rows * _columns)] : [];
        _outputs = [.. _blocks.Select(b => batch > 1 && _graph.Layers[b.Layer].IsHead ? new float[batch * b.Linear.OutFeatures] : [])];
        Array.Fill(_versions, -1);
        Batch = batch;
    }

    /// <inheritdoc/>
    public int Batch { get; }

    /// <summary>How the block-structured weight is stored.</summary>
    public FusedLayout Layout => _layout;

    /// <inheritdoc/>
    public void Tick(ReadOnlySpan<float> input)
    {
        if (input.Length != Batch * _inputSize)
        {
            throw new ArgumentException($"The input takes {Batch * _inputSize} values ({Batch} x {_inputSize}), got {input.Length}.", nameof(input));
        }

        Refresh();

        // v = [input; last tick's values], so the values computed last tick become this tick's previous values.
        for (var r = 0; r < Batch; r++)
        {
            var row = _v.AsSpan(r * _columns, _columns);
            (_inputSameTick ? input : _previousInput).Slice(r * _inputSize, _inputSize).CopyTo(row);
            _u.AsSpan(r * _rows, _rows).CopyTo(row[_inputSize..]);
        }

        if (!_inputSameTick)
        {
            input.CopyTo(_previousInput);
        }

        if (_layout == FusedLayout.Dense)
        {
            Gemm.Multiply(_v, false, _weight, true, _u, Batch, _rows, _columns, accumulate: false);
            for (var r = 0; r < Batch; r++)
            {
                var row = _u.AsSpan(r * _rows, _rows);
                TensorPrimitives.Add(row, _bias, row);
            }
        }
        else
        {
            for (var r = 0; r < Batch; r++)
            {
                foreach (var block in _blocks)
                {
                    var linear = block.Linear;
                    var output = _u.AsSpan((r * _rows) + block.Row, linear.OutFeatures);
                    _bias.AsSpan(block.Row, linear.OutFeatures).CopyTo(output);
                    Gemm.Multiply(_v.AsSpan((r * _columns) + block.Column, linear.InFeatures), false, linear.Weight.Value.Span, true, output, 1, linear.OutFeatures, linear.InFeatures, accumulate: true);
                }
            }
        }

        for (var r = 0; r < Batch; r++)
        {
            foreach (var block in _blocks)
            {
                LayerKernels.Activate(block.Activation, _u.AsSpan((r * _rows) + block.Row, block.Linear.OutFeatures));
            }
        }
    }

    /// <summary>The value of head <paramref name="head"/> computed during the previous tick (the one that acts during this one), [batch, size].</summary>
    public ReadOnlySpan<float> Output(string head)
    {
        var index = Array.FindIndex(_blocks, b => _graph.Layers[b.Layer].Name == head);
        if (index < 0)
        {
            throw new ArgumentException($"'{head}' is not a layer of the fused tick.", nameof(head));
        }

        var block = _blocks[index];
        var size = block.Linear.OutFeatures;
        if (Batch == 1)
        {
            return _v.AsSpan(_inputSize + block.Row, size);
        }

        var output = _outputs[index];
        if (output.Length == 0)
        {
            throw new ArgumentException($"'{head}' is not a head of the graph.", nameof(head));
        }

        for (var r = 0; r < Batch; r++)
        {
            _v.AsSpan((r * _columns) + _inputSize + block.Row, size).CopyTo(output.AsSpan(r * size, size));
        }

        return output;
    }

    /// <summary>Copies the weights and biases that moved since the last tick into the fused layout.</summary>
    private void Refresh()
    {
        for (var i = 0; i < _blocks.Length; i++)
        {
            var linear = _blocks[i].Linear;
            var version = linear.Weight.Version + (linear.Bias?.Version ?? 0);
            if (version == _versions[i])
            {
                continue;
            }

            var block = _blocks[i];
            var bias = _bias.AsSpan(block.Row, linear.OutFeatures);
            if (linear.Bias is null)
            {
                bias.Clear();
            }
            else
            {
                linear.Bias.Value.Span.CopyTo(bias);
            }

            if (_layout == FusedLayout.Dense)
            {
                var weight = linear.Weight.Value.Span;
                for (var o = 0; o < linear.OutFeatures; o++)
                {
                    weight.Slice(o * linear.InFeatures, linear.InFeatures).CopyTo(_weight.AsSpan(((block.Row + o) * _columns) + block.Column, linear.InFeatures));
                }
            }

            _versions[i] = version;
        }
    }

    /// <summary>Layer <see cref="Layer"/>'s block: its rows of W start at <see cref="Row"/>, its columns at <see cref="Column"/> of v.</summary>
    private sealed record Block(int Layer, Linear Linear, int Source, int Row, Graph.Activation Activation)
    {
        public int Column { get; init; }
    }
}
