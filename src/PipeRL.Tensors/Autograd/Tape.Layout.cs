namespace PipeRL.Tensors;

/// <summary>Concatenation, slicing and reshaping (along the last axis: features of a matrix, channels of an NHWC image).</summary>
public sealed partial class Tape
{
    /// <summary>Concatenates along the last axis; all other dimensions must agree.</summary>
    public Var Concat(params ReadOnlySpan<Var> parts)
    {
        if (parts.Length == 0)
        {
            throw new ArgumentException("Concat needs at least one operand.", nameof(parts));
        }

        var first = Check(parts[0]).Value.Shape;
        int rows = first.Rows;
        int total = 0;
        bool requiresGrad = false;
        Span<int> indices = parts.Length <= 64 ? stackalloc int[parts.Length] : new int[parts.Length];
        for (int p = 0; p < parts.Length; p++)
        {
            var s = Check(parts[p]).Value.Shape;
            if (s.Rank != first.Rank || s.Rows != rows || (s.Rank > 1 && s.WithLast(1) != first.WithLast(1)))
            {
                throw new ArgumentException($"Concat: operand {p} has shape {s}, which differs from {first} in a dimension other than the last.", nameof(parts));
            }

            total += s.Last;
            requiresGrad |= At(parts[p].Index).RequiresGrad;
            indices[p] = parts[p].Index;
        }

        var node = NewNode(OpKind.Concat, first.WithLast(total), requiresGrad);
        SetInts(node, indices);
        var y = node.Value.Span;
        int offset = 0;
        for (int p = 0; p < parts.Length; p++)
        {
            var x = At(indices[p]).Value;
            int f = x.Shape.Last;
            var xs = x.Span;
            for (int r = 0; r < rows; r++)
            {
                xs.Slice(r * f, f).CopyTo(y.Slice((r * total) + offset, f));
            }

            offset += f;
        }

        return new Var(this, _count - 1);
    }

    /// <summary>Elements [start, start + length) of the last axis.</summary>
    public Var Slice(Var a, int start, int length)
    {
        var na = Check(a);
        int f = na.Value.Shape.Last;
        if (start < 0 || length < 0 || start + length > f)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice [{start}, {start + length}) is outside the last axis of {na.Value.Shape}.");
        }

        var node = NewNode(OpKind.Slice, na.Value.Shape.WithLast(length), na.RequiresGrad, a.Index);
        node.I0 = start;
        var x = na.Value.Span;
        var y = node.Value.Span;
        for (int r = 0; r < na.Value.Shape.Rows; r++)
        {
            x.Slice((r * f) + start, length).CopyTo(y.Slice(r * length, length));
        }

        return new Var(this, _count - 1);
    }

    /// <summary>The same elements with another shape of equal length (no copy), e.g. flattening [n,h,w,c] to [n, h·w·c].</summary>
    public Var Reshape(Var a, Shape shape)
    {
        var na = Check(a);
        if (shape.Length != na.Value.Length)
        {
            throw new ArgumentException($"Reshape: {na.Value.Shape} has {na.Value.Length} elements, {shape} has {shape.Length}.", nameof(shape));
        }

        int index = NewAliasNode(OpKind.Alias, na.Value, na.RequiresGrad);
        var node = At(index);
        node.A = a.Index;
        node.Value.Reshape(shape);
        return new Var(this, index);
    }

    private void BackwardLayout(Node node)
    {
        var g = node.Grad.Span;
        switch (node.Kind)
        {
            case OpKind.Alias:
            case OpKind.RowSlice:
                // The gradient was accumulated straight into the input's buffer (see GradSpan).
                break;

            case OpKind.Slice:
                {
                    int f = At(node.A).Value.Shape.Last;
                    int length = node.Value.Shape.Last;
                    var dx = GradSpan(node.A);
                    for (int r = 0; r < node.Value.Shape.Rows; r++)
                    {
                        var src = g.Slice(r * length, length);
                        var dst = dx.Slice((r * f) + node.I0, length);
                        for (int j = 0; j < length; j++)
                        {
                            dst[j] += src[j];
                        }
                    }

                    break;
                }

            default:
                {
                    int total = node.Value.Shape.Last;
                    int rows = node.Value.Shape.Rows;
                    int offset = 0;
                    for (int p = 0; p < node.IntCount; p++)
                    {
                        var part = At(node.Ints[p]);
                        int f = part.Value.Shape.Last;
                        if (part.RequiresGrad)
                        {
                            var dx = GradSpan(node.Ints[p]);
                            for (int r = 0; r < rows; r++)
                            {
                                var src = g.Slice((r * total) + offset, f);
                                var dst = dx.Slice(r * f, f);
                                for (int j = 0; j < f; j++)
                                {
                                    dst[j] += src[j];
                                }
                            }
                        }

                        offset += f;
                    }

                    break;
                }
        }
    }
}
