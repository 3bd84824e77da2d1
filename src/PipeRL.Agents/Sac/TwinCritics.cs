using PipeRL.Tensors;
using PipeRL.Tensors.IO;
using PipeRL.Tensors.Optim;

namespace PipeRL.Agents.Sac;

/// <summary>SAC's twin soft Q networks, their target copies (starting equal) and the critics' Adam.</summary>
internal sealed class TwinCritics
{
    public TwinCritics(IReadOnlyList<int> observationShape, int inputSize, int actionSize, int outputs, SacOptions options, SeededRandom rng)
    {
        QNetwork Build(string name) => new(name, observationShape, inputSize, actionSize, outputs, options.Network, rng);
        (Q1, Q2, Q1Target, Q2Target) = (Build("qf1"), Build("qf2"), Build("qf1_target"), Build("qf2_target"));
        UpdateTargets(1f);
        Adam = new Adam([.. Q1.Parameters, .. Q2.Parameters], options.QLearningRate, eps: options.AdamEpsilon);
    }

    public QNetwork Q1 { get; }

    public QNetwork Q2 { get; }

    public QNetwork Q1Target { get; }

    public QNetwork Q2Target { get; }

    public Adam Adam { get; }

    /// <summary>Adds both critics, their targets and the critics' Adam to <paramref name="checkpoint"/>.</summary>
    public void Save(Checkpoint checkpoint)
    {
        foreach (var q in new[] { Q1, Q2, Q1Target, Q2Target })
        {
            checkpoint.AddParameters(q.Parameters);
        }

        checkpoint.AddOptimizer(Adam, "sac.critic_adam");
    }

    /// <summary>Adds the two critics alone (what a finished run keeps).</summary>
    public void AddParameters(Checkpoint checkpoint)
    {
        checkpoint.AddParameters(Q1.Parameters);
        checkpoint.AddParameters(Q2.Parameters);
    }

    /// <summary>Restores what <see cref="Save"/> wrote.</summary>
    public void Restore(Checkpoint checkpoint)
    {
        foreach (var q in new[] { Q1, Q2, Q1Target, Q2Target })
        {
            checkpoint.RestoreParameters(q.Parameters);
        }

        checkpoint.RestoreOptimizer(Adam, "sac.critic_adam");
    }

    /// <summary>Moves both targets towards their critics by <paramref name="rate"/> (1: hard copy).</summary>
    public void UpdateTargets(float rate)
    {
        PolyakUpdate.Apply(Q1.Parameters, Q1Target.Parameters, rate);
        PolyakUpdate.Apply(Q2.Parameters, Q2Target.Parameters, rate);
    }
}
