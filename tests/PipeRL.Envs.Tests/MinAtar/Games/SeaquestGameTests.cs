using PipeRL.Envs.MinAtar;
using PipeRL.Envs.MinAtar.Games;

namespace PipeRL.Envs.Tests.MinAtar.Games;

public sealed class SeaquestGameTests
{
    private const int SubFront = 0;
    private const int SubBack = 1;
    private const int FriendlyBullet = 2;
    private const int EnemyFish = 5;
    private const int OxygenGauge = 7;

    [Fact]
    public void ResetStateMatchesTheSpec()
    {
        var game = new SeaquestGame(true);
        game.Reset(new CountingRandomSource(0.9, 0));
        var planes = Render(game);

        Assert.Equal(MinAtarBoard.Cell(0, 5), planes[SubFront]);
        Assert.Equal(MinAtarBoard.Cell(0, 6), planes[SubBack]);
        Assert.Equal(Gauge(10), planes[OxygenGauge]);
    }

    [Fact]
    public void FirstEnemySpawnsAtAct21AndFirstDiverAtAct31()
    {
        var game = new SeaquestGame(true);
        var random = new CountingRandomSource(0.9, 0);
        game.Reset(random);
        for (var act = 1; act <= 20; act++)
        {
            game.Act(MinAtarAction.Noop, random);
        }

        Assert.Equal(0, random.Doubles);
        game.Act(MinAtarAction.Noop, random);
        Assert.Equal((2, 1), (random.Doubles, random.Ints));
        for (var act = 22; act <= 30; act++)
        {
            game.Act(MinAtarAction.Noop, random);
        }

        Assert.Equal((2, 1), (random.Doubles, random.Ints));
        game.Act(MinAtarAction.Noop, random);
        Assert.Equal((3, 2), (random.Doubles, random.Ints));
    }

    [Fact]
    public void EnemyEntersFromTheRightEdgeOnTheDrawnRow()
    {
        var game = new SeaquestGame(true);

        // rand() 0.9: moves left from col 9 and is a fish (not < 1/3); randint(1, 9) gives 1 + 3.
        var random = new CountingRandomSource(0.9, 3);
        game.Reset(random);
        for (var act = 1; act <= 21; act++)
        {
            game.Act(MinAtarAction.Noop, random);
        }

        Assert.Equal(MinAtarBoard.Cell(4, 9), Render(game)[EnemyFish]);
    }

    [Fact]
    public void BulletIsDrawnOneCellAheadOfTheSub()
    {
        var game = new SeaquestGame(true);
        var random = new CountingRandomSource(0.9, 0);
        game.Reset(random);
        game.Act(MinAtarAction.Down, random);
        game.Act(MinAtarAction.Fire, random);

        Assert.Equal(MinAtarBoard.Cell(1, 4), Render(game)[FriendlyBullet]);
    }

    [Fact]
    public void OxygenRunsOutOnTheActAfter200UnderwaterActs()
    {
        var game = new SeaquestGame(false);

        // Enemies and divers spawn on row 1; the sub waits on row 8, out of their way.
        var random = new CountingRandomSource(0.9, 0);
        game.Reset(random);
        var acts = 0;
        for (; acts < 8; acts++)
        {
            game.Act(MinAtarAction.Down, random);
        }

        while (!game.Terminal && acts < 500)
        {
            game.Act(MinAtarAction.Noop, random);
            acts++;
        }

        Assert.Equal(201, acts);
        Assert.Equal(UInt128.Zero, Render(game)[OxygenGauge]);
    }

    [Fact]
    public void SurfacingWithNoDiversEndsTheEpisode()
    {
        var game = new SeaquestGame(true);
        var random = new CountingRandomSource(0.9, 0);
        game.Reset(random);
        game.Act(MinAtarAction.Down, random);
        Assert.False(game.Terminal);
        game.Act(MinAtarAction.Up, random);
        Assert.True(game.Terminal);
    }

    private static UInt128 Gauge(int cells) => ((UInt128.One << cells) - UInt128.One) << 90;

    private static UInt128[] Render(SeaquestGame game)
    {
        var planes = new UInt128[game.Channels];
        game.Render(planes);
        return planes;
    }
}
