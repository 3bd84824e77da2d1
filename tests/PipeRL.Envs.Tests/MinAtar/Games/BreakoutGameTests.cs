using PipeRL.Envs.MinAtar;
using PipeRL.Envs.MinAtar.Games;

namespace PipeRL.Envs.Tests.MinAtar.Games;

public sealed class BreakoutGameTests
{
    private const int Paddle = 0;
    private const int Ball = 1;
    private const int Trail = 2;
    private const int Brick = 3;

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 9)]
    public void ResetStartsTheBallInsideTheBottomBrickRow(int draw, int column)
    {
        var game = new BreakoutGame();
        var random = new CountingRandomSource(0.5, draw);
        game.Reset(random);

        var planes = Render(game);
        Assert.Equal(1, random.Ints);
        Assert.Equal(MinAtarBoard.Cell(3, column), planes[Ball]);
        Assert.Equal(planes[Ball], planes[Trail]);
        Assert.Equal(MinAtarBoard.Rows(1, 3), planes[Brick]);
        Assert.Equal(MinAtarBoard.Cell(9, 4), planes[Paddle]);
        Assert.Null(game.DifficultyRamp);
    }

    [Fact]
    public void MissingTheBallEndsTheEpisodeOnRow9()
    {
        var game = StartLeft();
        var random = new CountingRandomSource(0.5, 0);
        for (var act = 1; act <= 5; act++)
        {
            game.Act(MinAtarAction.Noop, random);
            Assert.False(game.Terminal);
        }

        game.Act(MinAtarAction.Noop, random);
        Assert.True(game.Terminal);
        Assert.Equal(MinAtarBoard.Cell(9, 6), Render(game)[Ball]);
    }

    [Fact]
    public void ThePaddleReturnsTheBallToBreakABrick()
    {
        // The ball runs (4,1) .. (8,5), meets the paddle at col 6, climbs back up-left and breaks (3,1) at act 11.
        var game = StartLeft();
        var random = new CountingRandomSource(0.5, 0);
        var rewards = new List<int>();
        for (var act = 1; act <= 11; act++)
        {
            rewards.Add(game.Act(act <= 2 ? MinAtarAction.Right : MinAtarAction.Noop, random));
        }

        Assert.False(game.Terminal);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], rewards);
        var planes = Render(game);
        Assert.Equal(MinAtarBoard.Cell(4, 1), planes[Ball]);
        Assert.Equal(MinAtarBoard.Rows(1, 3) & ~MinAtarBoard.Cell(3, 1), planes[Brick]);
        Assert.Equal(0, random.Doubles);
    }

    private static BreakoutGame StartLeft()
    {
        var game = new BreakoutGame();
        game.Reset(new CountingRandomSource(0.5, 0));
        return game;
    }

    private static UInt128[] Render(MinAtarGame game)
    {
        var planes = new UInt128[game.Channels];
        game.Render(planes);
        return planes;
    }
}
