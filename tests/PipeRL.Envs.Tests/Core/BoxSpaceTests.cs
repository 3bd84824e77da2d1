using PipeRL.Envs.MinAtar;

namespace PipeRL.Envs.Tests.Core;

public sealed class BoxSpaceTests
{
    [Fact]
    public void ABinaryBoxHoldsOnlyZerosAndOnesWhereAPlainUnitBoxHoldsTheRangeBetween()
    {
        var binary = BoxSpace.Binary([2, 2]);
        var unit = new BoxSpace([2, 2], 0f, 1f);
        float[] between = [0f, 1f, 0.5f, 1f];
        float[] corners = [0f, 1f, 1f, 0f];
        Assert.True(binary.IsBinary);
        Assert.False(unit.IsBinary);
        Assert.True(binary.Contains(corners));
        Assert.False(binary.Contains(between));
        Assert.True(unit.Contains(between));
        Assert.Equal("Box([2, 2], binary)", binary.ToString());
        Assert.Equal("Box([2, 2])", unit.ToString());
    }

    [Theory]
    [InlineData("minatar/breakout")]
    [InlineData("minatar/seaquest")]
    public void MinAtarObservationsAreBinaryBoxes(string id)
    {
        var env = MinAtarGames.Create(id);
        Assert.True(env.ObservationSpace.IsBinary);
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, seed: 3);
        Assert.True(env.ObservationSpace.Contains(observation));
    }
}
