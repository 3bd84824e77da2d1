using System.Numerics;

namespace PipeRL.Tensors;

/// <summary>
/// A pool of float arrays in power-of-two size classes, owned by one user (a tape, a module); after warm-up, renting and
/// returning allocates nothing. Not thread-safe.
/// </summary>
internal sealed class BufferPool
{
    private readonly Stack<float[]>[] _free = new Stack<float[]>[32];

    /// <summary>An array of at least <paramref name="length"/> floats (contents undefined).</summary>
    public float[] Rent(int length)
    {
        int cls = SizeClass(length);
        var stack = _free[cls];
        if (stack is { Count: > 0 })
        {
            return stack.Pop();
        }

        return new float[1 << cls];
    }

    /// <summary>Gives <paramref name="array"/> back for reuse.</summary>
    public void Return(float[] array)
    {
        int cls = SizeClass(array.Length);
        if ((1 << cls) != array.Length)
        {
            return;
        }

        (_free[cls] ??= new Stack<float[]>()).Push(array);
    }

    private static int SizeClass(int length) => length <= 16 ? 4 : 32 - BitOperations.LeadingZeroCount((uint)length - 1);
}
