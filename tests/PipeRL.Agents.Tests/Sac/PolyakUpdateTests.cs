using PipeRL.Agents.Sac;
using PipeRL.Tensors;

namespace PipeRL.Agents.Tests.Sac;

public sealed class PolyakUpdateTests
{
    private static Parameter Param(string name, params float[] values)
    {
        var p = new Parameter(name, new Shape(values.Length));
        values.CopyTo(p.Value.Span);
        return p;
    }

    [Fact]
    public void SoftUpdateMovesTheTargetByTau()
    {
        var source = Param("s", 1f, 2f);
        var target = Param("t", 3f, 5f);
        var version = target.Version;
        PolyakUpdate.Apply([source], [target], 0.25f);
        Assert.Equal([2.5f, 4.25f], target.Value.Span.ToArray());
        Assert.Equal([1f, 2f], source.Value.Span.ToArray());
        Assert.Equal(version + 1, target.Version);
    }

    [Fact]
    public void TauOneIsAHardCopy()
    {
        var target = Param("t", 3f, 5f);
        PolyakUpdate.Apply([Param("s", -1f, 7f)], [target], 1f);
        Assert.Equal([-1f, 7f], target.Value.Span.ToArray());
    }

    [Fact]
    public void MismatchedNetworksAndBadTauAreRejected()
    {
        Assert.Throws<ArgumentException>(() => PolyakUpdate.Apply([Param("s", 1f)], [Param("t", 1f, 2f)], 0.5f));
        Assert.Throws<ArgumentException>(() => PolyakUpdate.Apply([Param("s", 1f)], [], 0.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => PolyakUpdate.Apply([Param("s", 1f)], [Param("t", 1f)], 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => PolyakUpdate.Apply([Param("s", 1f)], [Param("t", 1f)], 1.5f));
    }
}
