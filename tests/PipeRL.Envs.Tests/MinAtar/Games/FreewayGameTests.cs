using PipeRL.Envs.MinAtar;
using PipeRL.Envs.MinAtar.Games;

namespace PipeRL.Envs.Tests.MinAtar.Games;

public sealed class FreewayGameTests
{
    private const int Chicken = 0;
    private const int Car = 1;
    private const int Speed5 = 6;

    [Fact]
    public void ResetDrawsEightSpeedsThenEightDirections()
    {
        // Offset 4: every speed is 5; 0.9 > 0.5: every car moves right, its trail wrapping to col 9.
        var game = new FreewayGame();
        var random = new CountingRandomSource(0.9, 4);
        game.Reset(random);

        Assert.Equal((8, 8), (random.Doubles, random.Ints));
        var planes = Render(game);
        Assert.Equal(MinAtarBoard.Cell(9, 4), planes[Chicken]);
        Assert.Equal(ColumnOfCars(0), planes[Car]);
        Assert.Equal(ColumnOfCars(9), planes[Speed5]);
    }

    [Fact]
    public void EpisodesLastExactly2501Acts()
    {
        var game = new FreewayGame();
        var random = new CountingRandomSource(0.9, 4);
        game.Reset(random);
        for (var act = 1; act <= 2500; act++)
        {
            game.Act(MinAtarAction.Noop, random);
        }

        Assert.False(game.Terminal);
        game.Act(MinAtarAction.Noop, random);
        Assert.True(game.Terminal);
    }

    [Fact]
    public void ACrossingRewardsAndRerandomisesTheCars()
    {
        // Left-moving speed-5 cars reach col 4 only at act 36; the chicken climbs a row every 3 acts from act 4.
        var game = new FreewayGame();
        var random = new CountingRandomSource(0.1, 4);
        game.Reset(random);
        var rewards = new List<int>();
        for (var act = 1; act <= 28; act++)
        {
            rewards.Add(game.Act(MinAtarAction.Up, random));
            if (act == 4)
            {
                Assert.Equal(MinAtarBoard.Cell(8, 4), Render(game)[Chicken]);
            }
        }

        Assert.Equal(1, rewards.Sum());
        Assert.Equal(1, rewards[^1]);
        Assert.Equal((16, 16), (random.Doubles, random.Ints));
        Assert.Equal(MinAtarBoard.Cell(9, 4), Render(game)[Chicken]);
    }

    private static UInt128 ColumnOfCars(int col)
    {
        var board = UInt128.Zero;
        for (var row = 1; row <= 8; row++)
        {
            board |= MinAtarBoard.Cell(row, col);
        }

        return board;
    }

    private static UInt128[] Render(MinAtarGame game)
    {
        var planes = new UInt128[game.Channels];
        game.Render(planes);
        return planes;
    }
}
