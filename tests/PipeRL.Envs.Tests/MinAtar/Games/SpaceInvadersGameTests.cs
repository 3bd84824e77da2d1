using PipeRL.Envs.MinAtar;
using PipeRL.Envs.MinAtar.Games;

namespace PipeRL.Envs.Tests.MinAtar.Games;

public sealed class SpaceInvadersGameTests
{
    private const int Cannon = 0;
    private const int Alien = 1;
    private const int AlienLeft = 2;
    private const int AlienRight = 3;
    private const int FriendlyBullet = 4;
    private const int EnemyBullet = 5;

    private static readonly UInt128 FirstWave = Block(0, 3, 2, 7);

    [Fact]
    public void ResetPlacesTheWaveAndTheCannon()
    {
        var game = NewGame();
        var planes = Render(game);

        Assert.Equal(MinAtarBoard.Cell(9, 5), planes[Cannon]);
        Assert.Equal(FirstWave, planes[Alien]);
        Assert.Equal(FirstWave, planes[AlienLeft]);
        Assert.Equal(UInt128.Zero, planes[AlienRight]);
    }

    [Fact]
    public void AliensFirstMoveAtAct13AndFirstShootAtAct11()
    {
        var game = NewGame();
        Act(game, MinAtarAction.Noop, 10);
        Assert.Equal(UInt128.Zero, Render(game)[EnemyBullet]);

        Act(game, MinAtarAction.Noop, 1);

        // Nearest column to the cannon (5) holding an alien is 5 itself; the bullet starts on its bottom alien.
        Assert.Equal(MinAtarBoard.Cell(3, 5), Render(game)[EnemyBullet]);
        Act(game, MinAtarAction.Noop, 1);
        Assert.Equal(FirstWave, Render(game)[Alien]);

        Act(game, MinAtarAction.Noop, 1);
        Assert.Equal(Block(0, 3, 1, 6), Render(game)[Alien]);
    }

    [Fact]
    public void ShotComesFromTheNearestAlienColumn()
    {
        var game = NewGame();

        // With the cannon at col 0 the nearest column holding aliens is col 2.
        Act(game, MinAtarAction.Left, 5);
        Act(game, MinAtarAction.Noop, 6);
        Assert.Equal(MinAtarBoard.Cell(3, 2), Render(game)[EnemyBullet]);
    }

    [Fact]
    public void ShotHitsTheBottomAlienAndScores()
    {
        var game = NewGame();

        // Fired from (9, 5): the bullet rises a row per act and meets the alien at (3, 5) on act 6.
        var total = 0;
        total += game.Act(MinAtarAction.Fire, new CountingRandomSource(0, 0));
        Assert.Equal(MinAtarBoard.Cell(8, 5), Render(game)[FriendlyBullet]);
        for (var act = 2; act <= 6; act++)
        {
            total += game.Act(MinAtarAction.Noop, new CountingRandomSource(0, 0));
        }

        Assert.Equal(1, total);
        Assert.Equal(FirstWave & ~MinAtarBoard.Cell(3, 5), Render(game)[Alien]);
        Assert.Equal(UInt128.Zero, Render(game)[FriendlyBullet]);
    }

    private static SpaceInvadersGame NewGame()
    {
        var game = new SpaceInvadersGame(true);
        game.Reset(new CountingRandomSource(0, 0));
        return game;
    }

    private static void Act(SpaceInvadersGame game, MinAtarAction action, int times)
    {
        var random = new CountingRandomSource(0, 0);
        for (var i = 0; i < times; i++)
        {
            game.Act(action, random);
        }

        Assert.Equal(0, random.Doubles + random.Ints);
    }

    private static UInt128 Block(int firstRow, int lastRow, int firstCol, int lastCol)
    {
        var board = UInt128.Zero;
        for (var row = firstRow; row <= lastRow; row++)
        {
            for (var col = firstCol; col <= lastCol; col++)
            {
                board |= MinAtarBoard.Cell(row, col);
            }
        }

        return board;
    }

    private static UInt128[] Render(SpaceInvadersGame game)
    {
        var planes = new UInt128[game.Channels];
        game.Render(planes);
        return planes;
    }
}
