using PipeRL.Envs;

namespace PipeRL.Agents.Sac;

/// <summary>SAC's update report: the means of the losses, values and entropies over the updates of one report interval.</summary>
internal sealed class SacReport
{
    /// <summary>The reported names, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["q_loss", "q_value", "actor_loss", "entropy", "alpha", "alpha_loss"];

    private double _qLoss;
    private double _qValue;
    private int _critic;
    private double _actorLoss;
    private double _entropy;
    private int _actor;
    private double _alphaLoss;
    private int _temperature;

    /// <summary>Adds a critic update's loss and mean Q₁.</summary>
    public void Critic(double loss, double value) => (_qLoss, _qValue, _critic) = (_qLoss + loss, _qValue + value, _critic + 1);

    /// <summary>Adds an actor update's loss and mean entropy.</summary>
    public void Actor(double loss, double entropy) => (_actorLoss, _entropy, _actor) = (_actorLoss + loss, _entropy + entropy, _actor + 1);

    /// <summary>Adds a temperature update's loss.</summary>
    public void Temperature(double loss) => (_alphaLoss, _temperature) = (_alphaLoss + loss, _temperature + 1);

    /// <summary>Writes the sums and counts since the last report, so a run resumed mid-interval reports the interval whole.</summary>
    public void WriteState(BinaryWriter writer)
    {
        writer.WriteArray([_qLoss, _qValue, _actorLoss, _entropy, _alphaLoss]);
        writer.WriteArray([_critic, _actor, _temperature]);
    }

    /// <summary>Restores what <see cref="WriteState"/> wrote.</summary>
    public void ReadState(BinaryReader reader)
    {
        Span<double> sums = stackalloc double[5];
        Span<int> counts = stackalloc int[3];
        reader.ReadArray(sums);
        reader.ReadArray(counts);
        (_qLoss, _qValue, _actorLoss, _entropy, _alphaLoss) = (sums[0], sums[1], sums[2], sums[3], sums[4]);
        (_critic, _actor, _temperature) = (counts[0], counts[1], counts[2]);
    }

    /// <summary>The means since the last report (NaN where nothing was updated) with the temperature <paramref name="alpha"/>; starts the next interval.</summary>
    public UpdateStats Take(double alpha)
    {
        static double Mean(double sum, int count) => count > 0 ? sum / count : double.NaN;
        var stats = new UpdateStats(Names, [Mean(_qLoss, _critic), Mean(_qValue, _critic), Mean(_actorLoss, _actor), Mean(_entropy, _actor), alpha, Mean(_alphaLoss, _temperature)]);
        Clear();
        return stats;
    }

    /// <summary>Forgets the updates since the last report.</summary>
    private void Clear() => (_qLoss, _qValue, _critic, _actorLoss, _entropy, _actor, _alphaLoss, _temperature) = (0, 0, 0, 0, 0, 0, 0, 0);
}
