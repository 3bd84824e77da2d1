namespace PipeRL.Agents.Ppo;

/// <summary>What PPO's undelayed critic reads at tick t.</summary>
public enum CriticInput
{
    /// <summary>The observation o_t.</summary>
    Observation,

    /// <summary>
    /// The augmented input [o_t; a_(t−K) … a_(t−1)]: the observation and the actor's K past actions up to the one decided
    /// at t (the authors' window, as their SAC critic reads x_t). It never holds a_t, whose log-probability the advantage
    /// scores: a baseline that saw it would be a Q value and cancel the advantage.
    /// </summary>
    Augmented,
}
