using System.Numerics.Tensors;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;
using PipeRL.Tensors.Kernels;

namespace PipeRL.Pipeline.Execution;

/// <summary>One layer of one tick for a batch, without a tape and without allocating.</summary>
internal static class LayerKernels
{
    /// <summary>
    /// Computes <paramref name="layer"/> into <paramref name="output"/> ([batch, size]) from its sources' buffers;
    /// <paramref name="sources"/>[j] holds input j, <paramref name="ownPrevious"/> and the cell spans serve LSTM cells;
    /// <paramref name="workers"/> splits a dense or conv layer's product.
    /// </summary>
    public static void Compute(
        GraphLayer layer,
        object? module,
        PipelineGraph graph,
        ReadOnlySpan<float[]> sources,
        Span<float> output,
        ReadOnlySpan<float> ownPrevious,
        ReadOnlySpan<float> cellPrevious,
        Span<float> cell,
        int batch,
        WorkerPool? workers = null)
    {
        var spec = layer.Spec;
        switch (layer.Kind)
        {
            case LayerKind.Dense:
            case LayerKind.CategoricalHead:
            case LayerKind.GaussianHead:
            case LayerKind.ValueHead:
                ((Linear)module!).Infer(sources[0], output, batch, workers);
                Activate(spec.Activation, output);
                break;
            case LayerKind.Conv2d:
                var shape = graph.Layers[layer.Inputs[0].Source].OutputShape;
                ((Conv2d)module!).Infer(sources[0], output, batch, shape[0], shape[1], workers);
                Activate(spec.Activation, output);
                break;
            case LayerKind.LstmCell:
                ((LstmCell)module!).Infer(sources[0], ownPrevious, cellPrevious, output, cell, batch);
                break;
            case LayerKind.Activation:
                sources[0].AsSpan(0, output.Length).CopyTo(output);
                Activate(spec.Activation, output);
                break;
            case LayerKind.Pool:
                var image = graph.Layers[layer.Inputs[0].Source].OutputShape;
                Pool2dKernel.Forward(sources[0], output, batch, image[0], image[1], image[2], spec.Kernel, spec.Pool == PoolMode.Max);
                break;
            case LayerKind.Scale:
                TensorPrimitives.Multiply(sources[0].AsSpan(0, output.Length), spec.Factor, output);
                break;
            case LayerKind.Add:
                TensorPrimitives.Add(sources[0].AsSpan(0, output.Length), sources[1].AsSpan(0, output.Length), output);
                for (var j = 2; j < sources.Length; j++)
                {
                    TensorPrimitives.Add(output, sources[j].AsSpan(0, output.Length), output);
                }

                break;
            case LayerKind.Flatten:
            case LayerKind.Reshape:
                sources[0].AsSpan(0, output.Length).CopyTo(output);
                break;
            case LayerKind.Slice:
                var inputSize = graph.Layers[layer.Inputs[0].Source].OutputSize;
                for (var r = 0; r < batch; r++)
                {
                    sources[0].AsSpan((r * inputSize) + spec.Start, spec.Length).CopyTo(output.Slice(r * spec.Length, spec.Length));
                }

                break;
            case LayerKind.Concat:
                Concat(layer, graph, sources, output, batch);
                break;
            default:
                throw new InvalidOperationException($"Layer '{layer.Name}' ({layer.Kind}) is not computed by a tick.");
        }
    }

    /// <summary>Applies <paramref name="activation"/> in place.</summary>
    public static void Activate(Graph.Activation activation, Span<float> values)
    {
        switch (activation)
        {
            case Graph.Activation.Relu:
                TensorPrimitives.Max(values, 0f, values);
                break;
            case Graph.Activation.Tanh:
                TensorPrimitives.Tanh(values, values);
                break;
            case Graph.Activation.Sigmoid:
                TensorPrimitives.Sigmoid(values, values);
                break;
            default:
                break;
        }
    }

    private static void Concat(GraphLayer layer, PipelineGraph graph, ReadOnlySpan<float[]> sources, Span<float> output, int batch)
    {
        // Along the last axis: per sample, rows = size / last dimension (pixels of an image, 1 for a vector).
        var total = layer.OutputShape[^1];
        var rows = batch * (layer.OutputSize / total);
        var offset = 0;
        for (var j = 0; j < sources.Length; j++)
        {
            var last = graph.Layers[layer.Inputs[j].Source].OutputShape[^1];
            var source = sources[j];
            for (var r = 0; r < rows; r++)
            {
                source.AsSpan(r * last, last).CopyTo(output.Slice((r * total) + offset, last));
            }

            offset += last;
        }
    }
}
