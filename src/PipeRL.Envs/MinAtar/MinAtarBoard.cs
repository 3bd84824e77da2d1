namespace PipeRL.Envs.MinAtar;

/// <summary>
/// The 10×10 MinAtar grid as a 100-bit board (one <see cref="UInt128"/> per channel): bit <c>row * 10 + col</c>
/// is the cell at (row, col), row 0 at the top.
/// </summary>
public static class MinAtarBoard
{
    /// <summary>Rows and columns of the grid.</summary>
    public const int Size = 10;

    /// <summary>Cells of the grid.</summary>
    public const int Cells = Size * Size;

    // A variable UInt128 shift is a branchy software routine; games place cells every act, so look them up.
    private static readonly UInt128[] CellBits = [.. Enumerable.Range(0, Cells).Select(i => UInt128.One << i)];

    /// <summary>The board with only (<paramref name="row"/>, <paramref name="col"/>) set.</summary>
    public static UInt128 Cell(int row, int col) => CellBits[(row * Size) + col];

    /// <summary>Whether (<paramref name="row"/>, <paramref name="col"/>) is set on <paramref name="board"/>.</summary>
    public static bool Has(UInt128 board, int row, int col) => (board & CellBits[(row * Size) + col]) != UInt128.Zero;

    /// <summary>The board with rows <paramref name="firstRow"/> to <paramref name="lastRow"/> (inclusive) fully set.</summary>
    public static UInt128 Rows(int firstRow, int lastRow)
    {
        var count = (lastRow - firstRow + 1) * Size;
        return ((UInt128.One << count) - UInt128.One) << (firstRow * Size);
    }

    /// <summary>Whether (<paramref name="row"/>, <paramref name="col"/>) lies on the grid.</summary>
    public static bool Inside(int row, int col) => (uint)row < Size && (uint)col < Size;
}
