namespace PipeRL.Tensors.Tests.Core;

public sealed class ShapeTests
{
    [Fact]
    public void LengthRowsLastAndFormatting()
    {
        var s = new Shape(2, 3, 4, 5);
        Assert.Equal(120, s.Length);
        Assert.Equal(5, s.Last);
        Assert.Equal(24, s.Rows);
        Assert.Equal("[2, 3, 4, 5]", s.ToString());
        Assert.Equal(new Shape(2, 3, 4, 7), s.WithLast(7));
        Assert.NotEqual(new Shape(6), new Shape(6, 1));
    }

    [Fact]
    public void ViewSharesStorageAndChecksLength()
    {
        var t = Tensor.Zeros(2, 3);
        var v = t.View(new Shape(6));
        v[4] = 7f;
        Assert.Equal(7f, t[1, 1]);
        Assert.Throws<ArgumentException>(() => t.View(new Shape(5)));
    }
}
