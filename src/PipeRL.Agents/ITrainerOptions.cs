using PipeRL.Agents.Normalization;

namespace PipeRL.Agents;

/// <summary>What the run machinery reads from an algorithm's options: how many envs it steps and how its ticks group into updates.</summary>
public interface ITrainerOptions
{
    /// <summary>Envs stepped together.</summary>
    int NumEnvs { get; }

    /// <summary>Ticks over all envs between two reported updates (a metrics row each; the unit of checkpoint intervals).</summary>
    long TicksPerUpdate { get; }

    /// <summary>What one update is, for messages: for example "a rollout of num-envs x num-steps = 32 x 32 ticks".</summary>
    string UpdateDescription { get; }

    /// <summary>The width preset of the actor (and the algorithm's other networks).</summary>
    NetworkSize Network { get; }

    /// <summary>
    /// A normaliser for observations of <paramref name="observationSize"/> floats when the algorithm standardises them
    /// (its statistics still to be gathered or loaded), else null.
    /// </summary>
    ObservationNormalizer? NewObservationNormalizer(int observationSize) => null;

    /// <summary>Throws an <see cref="ArgumentException"/> (without a parameter name) naming the first invalid setting.</summary>
    void Validate();
}
