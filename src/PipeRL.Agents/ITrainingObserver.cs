namespace PipeRL.Agents;

/// <summary>Receives what a training loop reports: finished episodes and updates.</summary>
public interface ITrainingObserver
{
    /// <summary>An episode of some env finished at <paramref name="tick"/> (ticks over all envs so far) with its raw return and length in ticks.</summary>
    void OnEpisode(long tick, double episodeReturn, long episodeTicks);

    /// <summary>An update finished after <paramref name="tick"/> ticks over all envs; <paramref name="stats"/> holds the trainer's <see cref="ITrainer.StatNames"/>.</summary>
    void OnUpdate(long tick, UpdateStats stats);
}
