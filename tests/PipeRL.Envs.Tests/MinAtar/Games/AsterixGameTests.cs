using PipeRL.Envs.MinAtar;
using PipeRL.Envs.MinAtar.Games;

namespace PipeRL.Envs.Tests.MinAtar.Games;

public sealed class AsterixGameTests
{
    private const int Player = 0;
    private const int Enemy = 1;
    private const int Trail = 2;
    private const int Gold = 3;

    [Fact]
    public void FirstSpawnComesAtAct11AndMovesInThatAct()
    {
        // 0.0: moves right from col 0, and is gold; offset 0: the first free slot (row 1).
        var game = new AsterixGame(true);
        var random = new CountingRandomSource(0.0, 0);
        game.Reset(random);
        Act(game, random, 10);
        Assert.Equal((0, 0), (random.Doubles, random.Ints));

        game.Act(MinAtarAction.Noop, random);

        Assert.Equal((2, 1), (random.Doubles, random.Ints));
        var planes = Render(game);
        Assert.Equal(MinAtarBoard.Cell(1, 1), planes[Gold]);
        Assert.Equal(MinAtarBoard.Cell(1, 0), planes[Trail]);
        Assert.Equal(MinAtarBoard.Cell(5, 5), planes[Player]);
    }

    [Fact]
    public void RampsEvery102ActsNineTimes()
    {
        var game = new AsterixGame(true);
        var random = new CountingRandomSource(0.0, 0);
        game.Reset(random);
        Act(game, random, 101);
        Assert.Equal(0, game.DifficultyRamp);
        Act(game, random, 1);
        Assert.Equal(1, game.DifficultyRamp);
        Act(game, random, 101);
        Assert.Equal(1, game.DifficultyRamp);
        Act(game, random, 1);
        Assert.Equal(2, game.DifficultyRamp);
        Act(game, random, 918 - 204);
        Assert.Equal(9, game.DifficultyRamp);
        Act(game, random, 500);
        Assert.Equal(9, game.DifficultyRamp);
        var hidden = Hidden(game);
        Assert.Equal((1, 1), (hidden[0], hidden[2]));
        Assert.False(game.Terminal);
    }

    [Fact]
    public void WithoutRampingSpeedsNeverChange()
    {
        var game = new AsterixGame(false);
        var random = new CountingRandomSource(0.0, 0);
        game.Reset(random);
        Act(game, random, 1000);
        Assert.Equal(0, game.DifficultyRamp);
        var hidden = Hidden(game);
        Assert.Equal((10, 5), (hidden[0], hidden[2]));
    }

    [Fact]
    public void EnemyContactEndsTheEpisodeAndTheEnemyStays()
    {
        // 0.5: moves left from col 9, and is an enemy; offset 4: slot 4 (row 5), the player's row.
        var game = new AsterixGame(true);
        var random = new CountingRandomSource(0.5, 4);
        game.Reset(random);
        Act(game, random, 25);
        Assert.False(game.Terminal);

        game.Act(MinAtarAction.Noop, random);

        Assert.True(game.Terminal);
        var planes = Render(game);
        Assert.True(MinAtarBoard.Has(planes[Enemy], 5, 5));
        Assert.Equal(MinAtarBoard.Cell(5, 5), planes[Player]);
        var draws = (random.Doubles, random.Ints);
        Assert.Equal(0, game.Act(MinAtarAction.Left, random));
        Assert.Equal(planes, Render(game));
        Assert.Equal(draws, (random.Doubles, random.Ints));
    }

    private static void Act(AsterixGame game, IRandomSource random, int acts)
    {
        for (var i = 0; i < acts; i++)
        {
            game.Act(MinAtarAction.Noop, random);
        }
    }

    private static UInt128[] Render(MinAtarGame game)
    {
        var planes = new UInt128[game.Channels];
        game.Render(planes);
        return planes;
    }

    private static int[] Hidden(MinAtarGame game)
    {
        var values = new int[game.HiddenFieldNames.Count];
        game.WriteHiddenState(values);
        return values;
    }
}
