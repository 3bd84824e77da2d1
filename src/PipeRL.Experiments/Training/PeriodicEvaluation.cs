using PipeRL.Agents;
using PipeRL.Agents.Evaluation;
using PipeRL.Agents.Networks;
using PipeRL.Agents.Normalization;
using PipeRL.Experiments.Configs;
using PipeRL.Tensors.IO;

namespace PipeRL.Experiments.Training;

/// <summary>
/// Evaluation during training (<see cref="TrainConfig.EvalEvery"/>): a copy of the actor, so training's pipeline state is
/// untouched, plays on the final evaluation's envs (seeded from the run seed, with random sources of their own), so
/// training is bit-identical with and without it; the actor of the best sampled mean so far is kept as <c>best.params</c>.
/// </summary>
internal sealed class PeriodicEvaluation
{
    private const string BestKey = "eval.best_sampled_return_bits";

    private readonly TrainConfig _config;
    private readonly string _bestPath;
    private readonly IActorNetwork _actor;
    private readonly ObservationNormalizer? _normalizer;
    private readonly Checkpoint _snapshot = new();

    public PeriodicEvaluation(TrainPlan plan, string bestPath)
    {
        _config = plan.Config;
        _bestPath = bestPath;
        _actor = ActorFactory.Create(plan.Architecture, (ulong)_config.Seed, _config.Actor);
        _normalizer = plan.NewObservationNormalizer();
    }

    /// <summary>The best sampled mean return so far; negative infinity before the first evaluation.</summary>
    public double BestSampled { get; private set; } = double.NegativeInfinity;

    /// <summary>Whether the update that ended at <paramref name="tick"/> crossed a multiple of the evaluation interval.</summary>
    public bool IsDue(long tick) => tick / _config.EvalEvery > (tick - _config.Options.TicksPerUpdate) / _config.EvalEvery;

    /// <summary>Evaluates <paramref name="trainer"/>'s current actor; writes <c>best.params</c> when its sampled mean beats every earlier one.</summary>
    public (EvaluationResult Sampled, EvaluationResult Greedy) Run(ITrainer trainer)
    {
        trainer.AddParameters(_snapshot);
        _snapshot.RestoreParameters(_actor.Parameters, ITrainer.ActorPrefix);
        _normalizer?.Load(_snapshot);
        var (sampled, greedy) = TrainPlan.Evaluate(_config, _actor, _config.EvalEveryEpisodes, _normalizer);
        if (sampled.Mean > BestSampled)
        {
            BestSampled = sampled.Mean;
            _snapshot.Save(_bestPath);
        }

        return (sampled, greedy);
    }

    /// <summary>Adds the best score so far to <paramref name="checkpoint"/>, so a resumed run keeps the same best actor.</summary>
    public void SaveState(Checkpoint checkpoint) => checkpoint.SetIntegers(BestKey, [BitConverter.DoubleToInt64Bits(BestSampled)]);

    /// <summary>Restores the best score saved by <see cref="SaveState"/>.</summary>
    public void LoadState(Checkpoint checkpoint)
    {
        var bits = checkpoint.GetIntegers(BestKey);
        if (bits.Length != 1)
        {
            throw new InvalidDataException($"Checkpoint {checkpoint.SourcePath} has no valid best evaluation score ({BestKey}).");
        }

        BestSampled = BitConverter.Int64BitsToDouble(bits[0]);
    }
}
