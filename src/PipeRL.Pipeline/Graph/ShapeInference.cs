namespace PipeRL.Pipeline.Graph;

/// <summary>Output shapes and parameter counts of single layers, with clear errors for mismatched inputs.</summary>
internal static class ShapeInference
{
    /// <summary>The most elements one layer's output or weights may hold (the engine indexes tensors with int32).</summary>
    public const long MaxElements = int.MaxValue;

    /// <summary>The output shape of <paramref name="spec"/> given its input shapes; one of more than <see cref="MaxElements"/> elements is refused.</summary>
    public static int[] OutputShape(LayerSpec spec, IReadOnlyList<int[]> inputs)
    {
        var shape = InferOutputShape(spec, inputs);
        long volume = 1;
        foreach (var d in shape)
        {
            if (d < 1)
            {
                throw new GraphException($"Layer '{spec.Name}' ({spec.Kind}) would output {Text(shape)}; every size must be at least 1.");
            }

            volume *= d;
            if (volume > MaxElements)
            {
                throw new GraphException($"Layer '{spec.Name}' ({spec.Kind}) would output {Text(shape)}, more than {MaxElements:N0} elements; use a smaller input or layer.");
            }
        }

        return shape;
    }

    private static int[] InferOutputShape(LayerSpec spec, IReadOnlyList<int[]> inputs)
    {
        switch (spec.Kind)
        {
            case LayerKind.Input:
                return [.. spec.Shape];
            case LayerKind.Dense:
            case LayerKind.LstmCell:
            case LayerKind.CategoricalHead:
            case LayerKind.ValueHead:
            case LayerKind.GaussianHead:
                RequireVector(spec, inputs[0]);
                return spec.Kind switch
                {
                    LayerKind.GaussianHead => [Size(spec, 2L * spec.Units)],
                    LayerKind.ValueHead => [1],
                    _ => [spec.Units],
                };
            case LayerKind.Conv2d:
                RequireImage(spec, inputs[0]);
                return [ConvSize(spec, inputs[0][0], spec.Padding, Stride(spec)), ConvSize(spec, inputs[0][1], spec.Padding, Stride(spec)), spec.Units];
            case LayerKind.Activation:
            case LayerKind.Scale:
                return [.. inputs[0]];
            case LayerKind.Pool:
                RequireImage(spec, inputs[0]);
                if (spec.Kernel < 1 || spec.Kernel > inputs[0][0] || spec.Kernel > inputs[0][1])
                {
                    throw new GraphException($"Layer '{spec.Name}' (pool) window {spec.Kernel} must be at least 1 and fit its input {Text(inputs[0])}.");
                }

                // Floor division, as PyTorch's pooling without padding: trailing rows and columns are dropped.
                return [inputs[0][0] / spec.Kernel, inputs[0][1] / spec.Kernel, inputs[0][2]];
            case LayerKind.Add:
                foreach (var shape in inputs)
                {
                    if (!shape.AsSpan().SequenceEqual(inputs[0]))
                    {
                        throw new GraphException($"Layer '{spec.Name}' (add) needs inputs of one shape, got {Text(inputs[0])} and {Text(shape)}; project one of them first.");
                    }
                }

                return [.. inputs[0]];
            case LayerKind.Concat:
                return Concat(spec, inputs);
            case LayerKind.Flatten:
                return [Volume(inputs[0])];
            case LayerKind.Reshape:
                if (Volume([.. spec.Shape]) != Volume(inputs[0]))
                {
                    throw new GraphException($"Layer '{spec.Name}' (reshape) cannot make {Text([.. spec.Shape])} ({Volume([.. spec.Shape])} elements) from {Text(inputs[0])} ({Volume(inputs[0])} elements).");
                }

                return [.. spec.Shape];
            case LayerKind.Slice:
                RequireVector(spec, inputs[0]);
                if (spec.Start < 0 || spec.Length <= 0 || spec.Start + spec.Length > inputs[0][0])
                {
                    throw new GraphException($"Layer '{spec.Name}' (slice) range [{spec.Start}, {spec.Start + spec.Length}) does not fit its input {Text(inputs[0])}.");
                }

                return [spec.Length];
            default:
                throw new GraphException($"Layer '{spec.Name}' has an unknown kind {spec.Kind}.");
        }
    }

    /// <summary>The output shape of a layer whose shape follows from its attributes alone (dense, LSTM cell, heads), else null.</summary>
    public static int[]? OutputShapeWithoutInputs(LayerSpec spec) => spec.Kind switch
    {
        LayerKind.Dense or LayerKind.LstmCell or LayerKind.CategoricalHead => [spec.Units],
        LayerKind.GaussianHead => [Size(spec, 2L * spec.Units)],
        LayerKind.ValueHead => [1],
        _ => null,
    };

    /// <summary>The number of trainable parameters of <paramref name="spec"/> given its input shapes.</summary>
    public static long ParameterCount(LayerSpec spec, IReadOnlyList<int[]> inputs)
    {
        // In double, exact up to 2^53, so that no size a graph file gives can wrap the count.
        double bias = spec.Bias ? 1 : 0;
        double units = spec.Units;
        var count = spec.Kind switch
        {
            LayerKind.Dense or LayerKind.CategoricalHead => (inputs[0][0] + bias) * units,
            LayerKind.ValueHead => inputs[0][0] + bias,
            LayerKind.GaussianHead => 2 * (inputs[0][0] + bias) * units,
            LayerKind.Conv2d => (((double)inputs[0][2] * spec.Kernel * spec.Kernel) + bias) * units,
            // PyTorch's LSTMCell: input and recurrent weights of the four gates, and two bias vectors.
            LayerKind.LstmCell => (4 * units * (inputs[0][0] + units)) + (8 * bias * units),
            _ => 0,
        };
        return count >= long.MaxValue ? long.MaxValue : (long)count;
    }

    /// <summary>The number of inputs a layer of <paramref name="kind"/> takes: (minimum, maximum).</summary>
    public static (int Min, int Max) Arity(LayerKind kind) => kind switch
    {
        LayerKind.Input => (0, 0),
        LayerKind.Concat or LayerKind.Add => (2, int.MaxValue),
        _ => (1, 1),
    };

    /// <summary>Writes a shape as <c>[a, b, c]</c>.</summary>
    public static string Text(IReadOnlyList<int> shape) => $"[{string.Join(", ", shape)}]";

    private static int Volume(int[] shape)
    {
        long size = 1;
        foreach (var d in shape)
        {
            size *= d;
            if (size > MaxElements)
            {
                throw new GraphException($"A shape {Text(shape)} holds more than {MaxElements:N0} elements; use a smaller input or layer.");
            }
        }

        return (int)size;
    }

    private static int Size(LayerSpec spec, long size) => size <= MaxElements
        ? (int)size
        : throw new GraphException($"Layer '{spec.Name}' ({spec.Kind}) would have {size:N0} outputs, more than {MaxElements:N0}.");

    private static int Stride(LayerSpec spec) => spec.Stride > 0 ? spec.Stride : 1;

    private static int ConvSize(LayerSpec spec, int size, int padding, int stride)
    {
        if (spec.Kernel <= 0)
        {
            throw new GraphException($"Layer '{spec.Name}' ({spec.Kind}) needs a positive kernel size.");
        }

        var padded = size + (2L * padding);
        var output = ((padded - spec.Kernel) / stride) + 1;
        if (output > MaxElements)
        {
            throw new GraphException($"Layer '{spec.Name}' ({spec.Kind}) would output {output:N0} pixels a side with padding {padding}, more than {MaxElements:N0} elements.");
        }

        if (padding < 0 || padded < spec.Kernel || output <= 0)
        {
            throw new GraphException($"Layer '{spec.Name}' ({spec.Kind}) kernel {spec.Kernel} does not fit a spatial size of {size} with padding {padding}.");
        }

        return (int)output;
    }

    private static void RequireVector(LayerSpec spec, int[] shape)
    {
        if (shape.Length != 1)
        {
            throw new GraphException($"Layer '{spec.Name}' ({spec.Kind}) needs a vector input but gets {Text(shape)}; insert a flatten layer before it.");
        }
    }

    private static void RequireImage(LayerSpec spec, int[] shape)
    {
        if (shape.Length != 3)
        {
            throw new GraphException($"Layer '{spec.Name}' ({spec.Kind}) needs an [H, W, C] input but gets {Text(shape)}; reshape the input first.");
        }
    }

    private static int[] Concat(LayerSpec spec, IReadOnlyList<int[]> inputs)
    {
        var rank = inputs[0].Length;
        if (rank == 1)
        {
            var total = 0L;
            foreach (var shape in inputs)
            {
                if (shape.Length != 1)
                {
                    throw new GraphException($"Layer '{spec.Name}' (concat) mixes a vector {Text(inputs[0])} with {Text(shape)}; flatten the image first.");
                }

                total += shape[0];
            }

            return [Size(spec, total)];
        }

        if (rank == 3)
        {
            var channels = 0L;
            foreach (var shape in inputs)
            {
                if (shape.Length != 3 || shape[0] != inputs[0][0] || shape[1] != inputs[0][1])
                {
                    throw new GraphException($"Layer '{spec.Name}' (concat) joins images along channels and needs equal [H, W], got {Text(inputs[0])} and {Text(shape)}.");
                }

                channels += shape[2];
            }

            return [inputs[0][0], inputs[0][1], Size(spec, channels)];
        }

        throw new GraphException($"Layer '{spec.Name}' (concat) joins vectors or [H, W, C] images, got {Text(inputs[0])}.");
    }
}
