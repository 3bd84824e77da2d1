using PipeRL.Agents.Networks;
using PipeRL.Agents.Ppo;
using PipeRL.Envs;
using PipeRL.Envs.ClassicControl;
using PipeRL.Envs.MinAtar;
using PipeRL.Envs.Vector;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Tensors;

namespace PipeRL.Agents.Tests.Ppo;

/// <summary>
/// The minibatch update replays each rollout from the acting state saved at its start, so before the first gradient
/// step of an update every replayed log-probability is the rollout's: ratio 1 and KL 0, for every catalogue entry.
/// </summary>
public sealed class PpoReplayTests
{
    private const double Tolerance = 1e-6;

    private sealed class Recorder : ITrainingObserver
    {
        public List<UpdateStats> Updates { get; } = [];

        public void OnEpisode(long tick, double episodeReturn, long episodeTicks)
        {
        }

        public void OnUpdate(long tick, UpdateStats stats) => Updates.Add(stats);
    }

    public static TheoryData<string, bool, int, ExecutionMode?, EpisodeBoundary> Entries()
    {
        var data = new TheoryData<string, bool, int, ExecutionMode?, EpisodeBoundary>();
        foreach (var name in ArchitectureCatalogue.Names)
        {
            var needsHistory = name.EndsWith("-aug", StringComparison.Ordinal);
            foreach (var image in new[] { false, true })
            {
                if (!image && name.StartsWith("cnn-", StringComparison.Ordinal))
                {
                    continue;
                }

                data.Add(name, image, needsHistory ? 1 : 0, null, EpisodeBoundary.Carry);
                data.Add(name, image, needsHistory ? 2 : 1, null, EpisodeBoundary.Carry);
            }
        }

        data.Add("temporal-skip-aug", false, 2, null, EpisodeBoundary.Reset);
        data.Add("lstm", false, 0, null, EpisodeBoundary.Reset);
        data.Add("cnn-skipres-aug", true, 1, ExecutionMode.Sequential, EpisodeBoundary.Carry);
        data.Add("temporal-skip", false, 0, ExecutionMode.Instant, EpisodeBoundary.Carry);
        return data;
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void TheFirstStepOfEveryUpdateReplaysTheRolloutExactly(string name, bool image, int history, ExecutionMode? execution, EpisodeBoundary boundary)
    {
        var options = PpoOptions.Small with { NumEnvs = 4, NumSteps = 16, NumMinibatches = 2, UpdateEpochs = 2, LearningRate = 1e-3f, Network = NetworkSize.Small };
        using var envs = image
            ? SyncVectorEnv.Create(options.NumEnvs, i => (IEnv)MinAtarGames.Create("minatar/breakout", seed: (uint)(i + 1)))
            : SyncVectorEnv.Create(options.NumEnvs, _ => new CartPoleEnv());
        var architecture = ArchitectureCatalogue.Build(name, new ArchitectureOptions
        {
            ObservationShape = [.. envs.SingleObservationSpace.Shape],
            Actions = ((DiscreteSpace)envs.SingleActionSpace).N,
            Width = 16,
            Cnn = CnnTorso.MinAtarSmall,
            HistoryLength = history,
            Execution = execution,
        });
        var actor = new PipelineActor(architecture, 3, boundary);
        var critic = new ValueNetwork(envs.SingleObservationSpace.Shape, NetworkSize.Small, new SeededRandom(4));
        var recorder = new Recorder();
        using var trainer = new PpoTrainer(envs, actor, critic, options, seed: 2) { Observer = recorder };
        trainer.Train(5 * options.BatchSize);

        Assert.Equal(5, recorder.Updates.Count);
        Assert.All(recorder.Updates, u => Assert.InRange(u["replay_error"], 0, Tolerance));
    }
}
