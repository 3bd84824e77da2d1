using PipeRL.Agents.Acting;
using PipeRL.Agents.Distributions;
using PipeRL.Agents.Networks;
using PipeRL.Agents.Normalization;
using PipeRL.Envs;
using PipeRL.Tensors;

namespace PipeRL.Agents.Evaluation;

/// <summary>
/// Runs an actor for a number of episodes, one env per episode all stepped together so no episode length biases
/// the set, with the actor's own delay, acting as in training (<see cref="ActingLoop"/>). Each env plays one episode
/// from the actor's start state (the instant pass on its first observation, as training's first episode starts), so
/// no episode inherits another's pipeline state and the set does not depend on the number of envs.
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>The env-step limit of one evaluation episode (the tick limit at τ = 1); longer episodes are cut and counted as truncated.</summary>
    public const int DefaultMaxTicks = 10_000;

    /// <summary>
    /// Evaluates <paramref name="actor"/> on <paramref name="envs"/> (one episode per sub-env, same-step autoreset);
    /// <paramref name="greedy"/> takes the most probable action, otherwise actions are sampled from <paramref name="seed"/>;
    /// <paramref name="policy"/> replaces the action space's default distribution (SAC's squashed Gaussian);
    /// <paramref name="normalizer"/>, when the actor was trained on standardised observations, standardises them with
    /// its statistics as training left them (frozen: evaluation adds nothing to them).
    /// </summary>
    public static EvaluationResult Run(IVectorEnv envs, IActorNetwork actor, bool greedy, int seed, int maxTicks = DefaultMaxTicks, HistoryWindow window = HistoryWindow.InFlight, PolicyDistribution? policy = null, ObservationNormalizer? normalizer = null)
    {
        ArgumentNullException.ThrowIfNull(envs);
        ArgumentNullException.ThrowIfNull(actor);
        var n = envs.NumEnvs;
        var obsSize = envs.SingleObservationSpace.FlatSize;
        var loop = new ActingLoop(actor, envs.SingleActionSpace, n, obsSize, window, policy);
        var random = new SeededRandom(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 2));
        var observations = new float[n * obsSize];
        var seen = normalizer is null ? observations : new float[n * obsSize];
        var rewards = new double[n];
        var terminated = new bool[n];
        var truncated = new bool[n];
        var returns = new double[n];
        var finished = new bool[n];
        var remaining = n;
        envs.Reset(observations, seed);
        normalizer?.Normalize(observations, seen);
        loop.Begin(seen);
        for (var tick = 0; tick < maxTicks && remaining > 0; tick++)
        {
            loop.Act(seen, random, greedy);
            envs.Step(loop.EnvActions, observations, rewards, terminated, truncated);
            normalizer?.Normalize(observations, seen);
            for (var i = 0; i < n; i++)
            {
                if (finished[i])
                {
                    continue;
                }

                returns[i] += rewards[i];
                if (terminated[i] || truncated[i])
                {
                    finished[i] = true;
                    remaining--;
                    loop.EndEpisode(i);
                }
            }
        }

        return new EvaluationResult(greedy, returns, remaining);
    }
}
