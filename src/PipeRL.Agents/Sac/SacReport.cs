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

    /// <summary>Forgets the updates since the last report (a resumed run reports from its checkpoint on).</summary>
    public void Clear() => (_qLoss, _qValue, _critic, _actorLoss, _entropy, _actor, _alphaLoss, _temperature) = (0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>The means since the last report (NaN where nothing was updated) with the temperature <paramref name="alpha"/>; starts the next interval.</summary>
    public UpdateStats Take(double alpha)
    {
        static double Mean(double sum, int count) => count > 0 ? sum / count : double.NaN;
        var stats = new UpdateStats(Names, [Mean(_qLoss, _critic), Mean(_qValue, _critic), Mean(_actorLoss, _actor), Mean(_entropy, _actor), alpha, Mean(_alphaLoss, _temperature)]);
        Clear();
        return stats;
    }
}
