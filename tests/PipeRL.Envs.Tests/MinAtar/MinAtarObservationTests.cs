using PipeRL.Envs.MinAtar;

namespace PipeRL.Envs.Tests.MinAtar;

public sealed class MinAtarObservationTests
{
    [Fact]
    public void FloatsAreIndexedRowColumnChannel()
    {
        UInt128[] planes = [MinAtarBoard.Cell(0, 0), MinAtarBoard.Cell(9, 9) | MinAtarBoard.Cell(2, 3)];
        var floats = new float[200];
        floats.AsSpan().Fill(7f);
        MinAtarObservation.WriteFloats(planes, floats);
        Assert.Equal(1f, floats[0]);
        Assert.Equal(1f, floats[(99 * 2) + 1]);
        Assert.Equal(1f, floats[(23 * 2) + 1]);
        Assert.Equal(3f, floats.Sum());
    }

    [Fact]
    public void PackedFormIsNumpyPackbitsMostSignificantBitFirst()
    {
        // Three channels: bit i = cell*3 + channel lives in byte i>>3 at mask 0x80>>(i&7); 300 bits pad to 38 bytes.
        UInt128[] planes = [MinAtarBoard.Cell(0, 0), UInt128.Zero, MinAtarBoard.Cell(0, 1) | MinAtarBoard.Cell(9, 9)];
        var packed = new byte[MinAtarObservation.PackedLength(3)];
        MinAtarObservation.WritePacked(planes, packed);
        Assert.Equal(38, packed.Length);
        Assert.Equal(0x80 | 0x04, packed[0]);
        Assert.Equal(0x10, packed[37]);
        Assert.Equal(2, packed.Count(b => b != 0));
    }

    [Fact]
    public void BuffersOfTheWrongSizeAreRefused()
    {
        UInt128[] planes = [UInt128.Zero, UInt128.Zero];
        Assert.Throws<ArgumentException>(() => MinAtarObservation.WriteFloats(planes, new float[100]));
        Assert.Throws<ArgumentException>(() => MinAtarObservation.WritePacked(planes, new byte[26]));
    }

    [Fact]
    public void BoardHelpersAddressRowMajorCells()
    {
        Assert.Equal(UInt128.One << 37, MinAtarBoard.Cell(3, 7));
        Assert.True(MinAtarBoard.Has(MinAtarBoard.Rows(1, 3), 3, 9));
        Assert.False(MinAtarBoard.Has(MinAtarBoard.Rows(1, 3), 4, 0));
        Assert.Equal(30, (int)UInt128.PopCount(MinAtarBoard.Rows(1, 3)));
    }
}
