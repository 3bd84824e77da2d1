using PipeRL.Agents.Acting;
using PipeRL.Agents.Evaluation;
using PipeRL.Agents.Networks;
using PipeRL.Agents.Sac;
using PipeRL.Agents.Tests.Support;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.Vector;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Graph;
using Xunit.Abstractions;

namespace PipeRL.Agents.Tests.Sac;

/// <summary>SAC with catalogue actors learns small tasks with known optima in seconds.</summary>
public sealed class SacLearningTests(ITestOutputHelper output)
{
    // Discrete SAC updating every tick, for tasks learned in a few thousand ticks.
    private static readonly SacOptions QuickDiscrete = SacOptions.MinAtar with
    {
        BatchSize = 64,
        UpdateFrequency = 1,
        PolicyFrequency = 1,
        TargetNetworkFrequency = 1,
        TargetUpdateRate = 0.01f,
        QLearningRate = 1e-3f,
        Network = NetworkSize.Small,
    };

    private sealed class Returns : ITrainingObserver
    {
        public List<double> Episodes { get; } = [];

        public void OnEpisode(long tick, double episodeReturn, long episodeTicks) => Episodes.Add(episodeReturn);

        public void OnUpdate(long tick, UpdateStats stats)
        {
        }
    }

    [Theory]
    [InlineData("instant")]
    [InlineData("temporal-skip")]
    public void ContinuousSacSwingsPendulumUpAtTauOne(string arch)
    {
        // Uniform random torques earn about -1,200 per 200-tick episode; a swung-up pendulum about -150.
        var options = SacOptions.MuJoCo with { LearningStarts = 1_000, BatchSize = 64, Network = NetworkSize.Small };
        using var env = SyncVectorEnv.Create(1, _ => new PendulumEnv());
        var architecture = ArchitectureCatalogue.Build(arch, new ArchitectureOptions { ObservationShape = [3], Actions = 1, ContinuousActions = true, Width = 64 });
        var returns = new Returns();
        using var trainer = new SacTrainer(env, new PipelineActor(architecture, 3), options, seed: 1) { Observer = returns };
        trainer.Train(8_000);
        var random = returns.Episodes.Take(5).Average();
        var late = returns.Episodes.TakeLast(5).Average();
        var message = $"{arch}: mean of the last 5 episode returns {late:0}, of the first 5 (random actions) {random:0}";
        output.WriteLine(message);
        Assert.True(late > -600 && late > random + 500, message);
    }

    [Theory]
    [InlineData("instant", 7.5)]
    [InlineData("temporal-skip", 6.5)]
    public void DiscreteSacLearnsTheContextTask(string arch, double threshold)
    {
        var options = QuickDiscrete with { LearningStarts = 500, PolicyLearningRate = 1e-3f };
        using var env = SyncVectorEnv.Create(1, _ => new ContextEnv(1));
        var architecture = ArchitectureCatalogue.Build(arch, new ArchitectureOptions { ObservationShape = [3], Actions = 3, Width = 32 });
        var returns = new Returns();
        var actor = new PipelineActor(architecture, 3);
        using var trainer = new DiscreteSacTrainer(env, actor, options, seed: 1) { Observer = returns };
        trainer.Train(4_000);
        // Sampled actions keep the target entropy (0.445 ln 3), so the greedy policy is what reaches the optimum.
        using var evalEnvs = SyncVectorEnv.Create(30, i => new ContextEnv((uint)(100 + i)));
        var greedy = PolicyEvaluator.Run(evalEnvs, actor, greedy: true, seed: 7).Mean;
        var message = $"{arch}: greedy return {greedy:0.00} over 30 episodes (optimum {ContextEnv.Length}, random {ContextEnv.Length / 3.0:0.00}); sampled in training: first 20 {returns.Episodes.Take(20).Average():0.00}, last 20 {returns.Episodes.TakeLast(20).Average():0.00}";
        output.WriteLine(message);
        Assert.True(greedy > threshold, message);
    }

    [Fact]
    public void DiscreteSacOnTheEchoTaskUsesTheActionInFlight()
    {
        // The Markov variant of the echo task (the observation also shows r_(t-1) and the c1 of a_(t-1), so the critics'
        // Q(o_t, a_(t-1); a_t) can be exact) with a linear policy over [o_t; last action] at delay 1. A deterministic
        // policy can infer its own action in flight from what it showed before, so the greedy policies of both windows
        // reach the optimum; the sampled action (SAC keeps its target entropy) is known only to the in-flight window.
        var (inFlightGreedy, inFlightSampled) = TrainOnTheEchoTask(HistoryWindow.InFlight);
        var (authorsGreedy, authorsSampled) = TrainOnTheEchoTask(HistoryWindow.Authors);
        var message = $"over 200 episodes of 16 steps (optimum 15, the first step scores nothing; blind to a_t 11.25): in-flight greedy {inFlightGreedy:0.00}, sampled {inFlightSampled:0.00}; authors' greedy {authorsGreedy:0.00}, sampled {authorsSampled:0.00}";
        output.WriteLine(message);
        Assert.True(inFlightGreedy > 14.5, message);
        Assert.True(inFlightSampled > authorsSampled + 0.7, message);
    }

    private static (double Greedy, double Sampled) TrainOnTheEchoTask(HistoryWindow window)
    {
        var b = new GraphBuilder();
        b.CategoricalHead(ArchitectureCatalogue.PolicyName, b.Input(ArchitectureCatalogue.InputName, 6 + 4), 4);
        var architecture = new Architecture { Name = "linear-aug", Graph = b.Build(), Mode = ExecutionMode.Pipelined, HistoryLength = 1, Description = "linear policy, delay 1" };
        var options = QuickDiscrete with { LearningStarts = 1_000, PolicyLearningRate = 3e-3f };
        using var env = SyncVectorEnv.Create(1, _ => new EchoEnv(1, showsPast: true));
        var actor = new PipelineActor(architecture, 3);
        using var trainer = new DiscreteSacTrainer(env, actor, options, seed: 1, window);
        trainer.Train(6_000);
        using var evalEnvs = SyncVectorEnv.Create(200, i => new EchoEnv((uint)(100 + i), showsPast: true));
        var greedy = PolicyEvaluator.Run(evalEnvs, actor, greedy: true, seed: 7, window: window).Mean;
        var sampled = PolicyEvaluator.Run(evalEnvs, actor, greedy: false, seed: 7, window: window).Mean;
        return (greedy, sampled);
    }
}
