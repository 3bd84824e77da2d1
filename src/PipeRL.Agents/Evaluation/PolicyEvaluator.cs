using PipeRL.Agents.Distributions;
using PipeRL.Agents.Networks;
using PipeRL.Agents.Ppo;
using PipeRL.Envs;
using PipeRL.Tensors;

namespace PipeRL.Agents.Evaluation;

/// <summary>
/// Runs an actor for a number of episodes, one env per episode all stepped together so no episode length biases
/// the set, with the actor's own delay (it steps one tick per env step, as when acting in training).
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>The tick limit of one evaluation episode; longer episodes are cut and counted as truncated.</summary>
    public const int DefaultMaxTicks = 10_000;

    /// <summary>
    /// Evaluates <paramref name="actor"/> on <paramref name="envs"/> (one episode per sub-env, same-step autoreset);
    /// <paramref name="greedy"/> takes the most probable action, otherwise actions are sampled from <paramref name="seed"/>.
    /// </summary>
    public static EvaluationResult Run(IVectorEnv envs, IActorNetwork actor, bool greedy, int seed, int maxTicks = DefaultMaxTicks)
    {
        ArgumentNullException.ThrowIfNull(envs);
        ArgumentNullException.ThrowIfNull(actor);
        var n = envs.NumEnvs;
        var policy = PolicyDistribution.For(envs.SingleActionSpace);
        var obsSize = envs.SingleObservationSpace.FlatSize;
        var history = new ActionHistory(n, actor.HistoryLength, actor.HistoryLength == 0 ? 1 : (actor.InputSize - obsSize) / actor.HistoryLength, policy is CategoricalPolicy);
        var random = new SeededRandom(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 2));
        var observations = new float[n * obsSize];
        var inputs = new float[n * actor.InputSize];
        var outputs = new float[n * actor.OutputSize];
        var actions = new float[n * policy.ActionSize];
        var envActions = new float[n * policy.ActionSize];
        var rewards = new double[n];
        var terminated = new bool[n];
        var truncated = new bool[n];
        var returns = new double[n];
        var finished = new bool[n];
        var remaining = n;
        envs.Reset(observations, seed);
        WriteInputs(history, observations, inputs, obsSize, actor.InputSize);
        actor.Begin(inputs, n);
        for (var tick = 0; tick < maxTicks && remaining > 0; tick++)
        {
            actor.Step(inputs, outputs);
            for (var i = 0; i < n; i++)
            {
                var output = outputs.AsSpan(i * actor.OutputSize, actor.OutputSize);
                var action = actions.AsSpan(i * policy.ActionSize, policy.ActionSize);
                if (greedy)
                {
                    policy.Greedy(output, action);
                }
                else
                {
                    policy.Sample(output, random, action);
                }

                policy.ToEnv(action, envActions.AsSpan(i * policy.ActionSize, policy.ActionSize));
            }

            envs.Step(envActions, observations, rewards, terminated, truncated);
            for (var i = 0; i < n; i++)
            {
                history.Push(i, actions.AsSpan(i * policy.ActionSize, policy.ActionSize));
                if (finished[i])
                {
                    continue;
                }

                returns[i] += rewards[i];
                if (terminated[i] || truncated[i])
                {
                    finished[i] = true;
                    remaining--;
                    history.Clear(i);
                }
            }

            WriteInputs(history, observations, inputs, obsSize, actor.InputSize);
        }

        return new EvaluationResult(greedy, returns, remaining);
    }

    private static void WriteInputs(ActionHistory history, float[] observations, float[] inputs, int obsSize, int inputSize)
    {
        for (var i = 0; i < history.NumEnvs; i++)
        {
            history.WriteInput(i, observations.AsSpan(i * obsSize, obsSize), inputs.AsSpan(i * inputSize, inputSize));
        }
    }
}
