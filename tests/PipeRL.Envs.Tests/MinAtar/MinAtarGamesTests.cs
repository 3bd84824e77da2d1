using PipeRL.Envs.MinAtar;

namespace PipeRL.Envs.Tests.MinAtar;

public sealed class MinAtarGamesTests
{
    [Fact]
    public void IdsCoverEveryGameWithBothActionSets()
    {
        foreach (var game in new[] { "asterix", "breakout", "freeway", "seaquest", "space_invaders" })
        {
            Assert.Contains($"minatar/{game}", MinAtarGames.Ids);
            Assert.Contains($"minatar/{game}-minimal", MinAtarGames.Ids);
        }

        Assert.Equal(2 * MinAtarGames.GameNames.Count, MinAtarGames.Ids.Count);
    }

    [Theory]
    [InlineData("minatar/asterix", 4, 6)]
    [InlineData("minatar/asterix-minimal", 4, 5)]
    [InlineData("minatar/breakout", 4, 6)]
    [InlineData("minatar/breakout-minimal", 4, 3)]
    [InlineData("minatar/freeway", 7, 6)]
    [InlineData("minatar/freeway-minimal", 7, 3)]
    [InlineData("minatar/seaquest", 10, 6)]
    [InlineData("minatar/seaquest-minimal", 10, 6)]
    [InlineData("minatar/space_invaders", 6, 6)]
    [InlineData("minatar/space_invaders-minimal", 6, 4)]
    public void SpacesFollowTheGameAndActionSet(string id, int channels, int actions)
    {
        using var env = MinAtarGames.Create(id);
        Assert.Equal(id, env.Id);
        Assert.Equal([10, 10, channels], env.ObservationSpace.Shape);
        Assert.Equal(actions, ((DiscreteSpace)env.ActionSpace).N);
    }

    [Theory]
    [InlineData("minatar/pong")]
    [InlineData("breakout")]
    [InlineData("minatar/breakout-v1")]
    public void UnknownIdsListTheValidOnes(string id)
    {
        var ex = Assert.Throws<ArgumentException>(() => MinAtarGames.Create(id));
        Assert.Contains($"'{id}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("minatar/breakout-minimal", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownGameNamesListTheAvailableGames()
    {
        var ex = Assert.Throws<ArgumentException>(() => MinAtarGames.CreateGame("pong"));
        Assert.Contains("asterix, breakout, freeway, seaquest, space_invaders", ex.Message, StringComparison.Ordinal);
        Assert.False(MinAtarGames.HasGame("pong"));
    }

    [Fact]
    public void NegativeStickyProbabilityIsRefused()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => MinAtarGames.Create("minatar/breakout", stickyActionProbability: -0.1));
        Assert.Contains("[0, 1]", ex.Message, StringComparison.Ordinal);
    }
}
