using PipeRL.Envs.MinAtar;
using PipeRL.Envs.MinAtar.Games;

namespace PipeRL.Envs.Tests.MinAtar;

public sealed class MinAtarEnvironmentTests
{
    [Fact]
    public void EveryActDrawsTheStickyNumberFirstEvenAtProbabilityZero()
    {
        var random = new ScriptedRandom();
        var environment = new MinAtarEnvironment(new BreakoutGame(), random, stickyActionProbability: 0);
        random.Log.Clear();

        environment.Act(3);

        Assert.Equal(["rand"], random.Log);
        Assert.Equal(3, environment.LastAction);
    }

    [Fact]
    public void ADrawBelowTheProbabilityRepeatsTheLastEffectiveAction()
    {
        var random = new ScriptedRandom();
        var environment = new MinAtarEnvironment(new BreakoutGame(), random, stickyActionProbability: 0.1);
        random.Doubles.Enqueue(0.5);
        environment.Act(1);
        random.Doubles.Enqueue(0.09999);
        environment.Act(3);
        Assert.Equal(1, environment.LastAction);
        random.Doubles.Enqueue(0.1);
        environment.Act(3);
        Assert.Equal(3, environment.LastAction);
    }

    [Fact]
    public void LastActionSurvivesResetAndPostTerminalActsStillDraw()
    {
        var random = new ScriptedRandom();
        var environment = new MinAtarEnvironment(new BreakoutGame(), random, stickyActionProbability: 0);
        while (!environment.Act(0).Terminal)
        {
        }

        random.Log.Clear();
        Assert.Equal((0, true), environment.Act(5));
        Assert.Equal(["rand"], random.Log);
        Assert.Equal(5, environment.LastAction);

        environment.Reset();
        Assert.Equal(5, environment.LastAction);
        Assert.False(environment.Game.Terminal);
    }

    [Fact]
    public void SeedSharesOneNumpyStreamBetweenStickyDrawsAndTheGame()
    {
        // RandomState(42): rand() = 0.3745... < 0.5 repeats action 0; then randint(2) = 0 starts the ball at (3, 0).
        var environment = new MinAtarEnvironment(new BreakoutGame(), new ScriptedRandom(), stickyActionProbability: 0.5);
        environment.Seed(42);
        environment.Act(1);
        Assert.Equal(0, environment.LastAction);
        Assert.IsType<NumpyRandomState>(environment.Random);
        environment.Reset();
        Span<UInt128> boards = new UInt128[4];
        environment.WriteBoards(boards);
        Assert.Equal(MinAtarBoard.Cell(3, 0), boards[1]);
    }

    [Fact]
    public void ActionsOutsideTheFullSetAreRefused()
    {
        var environment = new MinAtarEnvironment(new BreakoutGame(), new ScriptedRandom());
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => environment.Act(6));
        Assert.Contains("0..5", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => environment.Act(-1));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void StickyProbabilityOutsideZeroOneIsRefused(double probability)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MinAtarEnvironment(new BreakoutGame(), new ScriptedRandom(), probability));
    }

    // Returns queued values (0.5 and the low bound when empty) and logs each call's kind.
    private sealed class ScriptedRandom : IRandomSource
    {
        public Queue<double> Doubles { get; } = new();

        public List<string> Log { get; } = [];

        public double NextDouble()
        {
            Log.Add("rand");
            return Doubles.Count > 0 ? Doubles.Dequeue() : 0.5;
        }

        public int NextInt(int lowInclusive, int highExclusive)
        {
            Log.Add($"randint({lowInclusive},{highExclusive})");
            return lowInclusive;
        }
    }
}
