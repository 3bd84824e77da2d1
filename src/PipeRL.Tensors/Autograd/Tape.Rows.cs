using System.Numerics.Tensors;

namespace PipeRL.Tensors;

/// <summary>Slicing and concatenation along the first axis (the batch rows of a matrix or of NHWC images).</summary>
public sealed partial class Tape
{
    /// <summary>Rows [start, start + count) of the first axis, sharing the storage of <paramref name="a"/> (no copy, also in backward).</summary>
    public Var SliceRows(Var a, int start, int count)
    {
        var na = Check(a);
        var shape = na.Value.Shape;
        int rows = shape[0];
        if (start < 0 || count < 1 || start + count > rows)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"SliceRows [{start}, {start + count}) is outside the first axis of {shape}.");
        }

        int rowLength = shape.Length / rows;
        int index = NewAliasNode(OpKind.RowSlice, na.Value, na.RequiresGrad);
        var node = At(index);
        node.A = a.Index;
        node.I0 = start * rowLength;
        node.Value.Rebind(na.Value.Data, na.Value.Offset + node.I0, WithRows(shape, count));
        return new Var(this, index);
    }

    /// <summary>Concatenates along the first axis; all other dimensions must agree.</summary>
    public Var ConcatRows(params ReadOnlySpan<Var> parts)
    {
        if (parts.Length == 0)
        {
            throw new ArgumentException("ConcatRows needs at least one operand.", nameof(parts));
        }

        var first = Check(parts[0]).Value.Shape;
        int rows = 0;
        bool requiresGrad = false;
        Span<int> indices = parts.Length <= 64 ? stackalloc int[parts.Length] : new int[parts.Length];
        for (int p = 0; p < parts.Length; p++)
        {
            var s = Check(parts[p]).Value.Shape;
            if (s.Rank != first.Rank || WithRows(s, 1) != WithRows(first, 1))
            {
                throw new ArgumentException($"ConcatRows: operand {p} has shape {s}, which differs from {first} in a dimension other than the first.", nameof(parts));
            }

            rows += s[0];
            requiresGrad |= At(parts[p].Index).RequiresGrad;
            indices[p] = parts[p].Index;
        }

        var node = NewNode(OpKind.ConcatRows, WithRows(first, rows), requiresGrad);
        SetInts(node, indices);
        var y = node.Value.Span;
        int offset = 0;
        for (int p = 0; p < parts.Length; p++)
        {
            var x = At(indices[p]).Value.Span;
            x.CopyTo(y.Slice(offset, x.Length));
            offset += x.Length;
        }

        return new Var(this, _count - 1);
    }

    private void BackwardConcatRows(Node node)
    {
        var g = node.Grad.Span;
        int offset = 0;
        for (int p = 0; p < node.IntCount; p++)
        {
            var part = At(node.Ints[p]);
            int length = part.Value.Length;
            if (part.RequiresGrad)
            {
                var dst = GradSpan(node.Ints[p]);
                TensorPrimitives.Add(dst, g.Slice(offset, length), dst);
            }

            offset += length;
        }
    }

    /// <summary><paramref name="shape"/> with the first dimension replaced by <paramref name="rows"/>.</summary>
    private static Shape WithRows(Shape shape, int rows) => shape.Rank switch
    {
        1 => new Shape(rows),
        2 => new Shape(rows, shape[1]),
        3 => new Shape(rows, shape[1], shape[2]),
        _ => new Shape(rows, shape[1], shape[2], shape[3]),
    };
}
