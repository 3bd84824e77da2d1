
namespace PipeRL.Envs;

/// <summary>
/// Checks that any <see cref="IEnv"/> keeps the contract: sane spaces, observations inside the observation space
/// after reset and step, finite rewards, a refused step after the episode ends, refused bad actions and buffers,
/// and the same trajectory from the same seed and actions. Actions are sampled from a generator seeded by the caller.
/// </summary>
public static class EnvChecker
{
    /// <summary>Runs every check over <paramref name="steps"/> steps from <paramref name="seed"/>; returns the problems found (empty when none).</summary>
    public static IReadOnlyList<string> Check(IEnv env, int seed = 0, int steps = 500)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(env.Id))
        {
            problems.Add("Id is empty; an env needs its registered id.");
        }

        if (env.ObservationSpace is null || env.ObservationSpace.FlatSize <= 0)
        {
            problems.Add("ObservationSpace is missing or empty.");
            return problems;
        }

        if (env.ActionSpace is not (DiscreteSpace or BoxSpace))
        {
            problems.Add($"ActionSpace is {env.ActionSpace?.GetType().Name ?? "null"}; it must be a DiscreteSpace or a BoxSpace.");
            return problems;
        }

        var first = Rollout(env, seed, steps, problems);
        var second = Rollout(env, seed, steps, problems: null);
        CompareRollouts(first, second, seed, problems);
        CheckBadInput(env, seed, problems);
        return problems;
    }

    /// <summary>Runs <see cref="Check"/> and throws <see cref="InvalidOperationException"/> listing every problem.</summary>
    public static void AssertValid(IEnv env, int seed = 0, int steps = 500)
    {
        var problems = Check(env, seed, steps);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"{env.Id} breaks the env contract:{Environment.NewLine}- {string.Join($"{Environment.NewLine}- ", problems)}");
        }
    }

    private static List<(float[] Observation, StepResult Result)> Rollout(IEnv env, int seed, int steps, List<string>? problems)
    {
        var actions = new NumpyRandomState((uint)seed);
        var observation = new float[env.ObservationSpace.FlatSize];
        var action = new float[env.ActionSpace.FlatSize];
        var trajectory = new List<(float[], StepResult)>(steps + 1);
        observation.AsSpan().Fill(float.NaN);
        env.Reset(observation, seed);
        CheckObservation(env, observation, "Reset", problems);
        trajectory.Add(((float[])observation.Clone(), default));
        for (var t = 0; t < steps; t++)
        {
            SampleAction(env.ActionSpace, actions, action);
            observation.AsSpan().Fill(float.NaN);
            var result = env.Step(action, observation);
            CheckObservation(env, observation, $"Step {t}", problems);
            if (!double.IsFinite(result.Reward))
            {
                problems?.Add($"Step {t} returned the reward {result.Reward}; rewards must be finite.");
            }

            trajectory.Add(((float[])observation.Clone(), result));
            if (result.Done)
            {
                if (problems is not null && StepIsAccepted(env, action, observation))
                {
                    problems.Add($"Step {t} ended the episode but the next Step was accepted; it must throw InvalidOperationException until Reset.");
                }

                env.Reset(observation);
                CheckObservation(env, observation, $"Reset after step {t}", problems);
                trajectory.Add(((float[])observation.Clone(), default));
            }
        }

        return trajectory;
    }

    private static bool StepIsAccepted(IEnv env, float[] action, float[] observation)
    {
        try
        {
            env.Step(action, observation);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void CompareRollouts(List<(float[] Observation, StepResult Result)> first, List<(float[] Observation, StepResult Result)> second, int seed, List<string> problems)
    {
        for (var i = 0; i < Math.Min(first.Count, second.Count); i++)
        {
            if (first[i].Result != second[i].Result || !first[i].Observation.AsSpan().SequenceEqual(second[i].Observation))
            {
                problems.Add($"Two runs from Reset(seed: {seed}) with the same actions differ at record {i}; an env must be deterministic given its seed.");
                return;
            }
        }

        if (first.Count != second.Count)
        {
            problems.Add($"Two runs from Reset(seed: {seed}) with the same actions ended episodes at different steps; an env must be deterministic given its seed.");
        }
    }

    private static void CheckBadInput(IEnv env, int seed, List<string> problems)
    {
        var observation = new float[env.ObservationSpace.FlatSize];
        if (!Throws<ArgumentException>(() => env.Reset(new float[observation.Length + 1], seed)))
        {
            problems.Add("Reset accepted an observation buffer of the wrong size; it must throw ArgumentException.");
        }

        env.Reset(observation, seed);
        float[] badAction = env.ActionSpace is DiscreteSpace discrete ? [discrete.N] : new float[env.ActionSpace.FlatSize + 1];
        if (!Throws<ArgumentException>(() => env.Step(badAction, observation)))
        {
            problems.Add($"Step accepted an action outside {env.ActionSpace}; it must throw ArgumentException.");
        }
    }

    private static bool Throws<TException>(Action action)
        where TException : Exception
    {
        try
        {
            action();
            return false;
        }
        catch (TException)
        {
            return true;
        }
    }

    private static void CheckObservation(IEnv env, float[] observation, string when, List<string>? problems)
    {
        if (problems is not null && !env.ObservationSpace.Contains(observation))
        {
            var index = Array.FindIndex(observation, v => float.IsNaN(v));
            var what = index >= 0 ? $"left element {index} unwritten" : "wrote values outside the bounds";
            problems.Add($"{when} {what} of {env.ObservationSpace}; every element must lie in the observation space.");
        }
    }

    private static void SampleAction(Space space, NumpyRandomState random, float[] action)
    {
        if (space is DiscreteSpace discrete)
        {
            action[0] = random.NextInt(0, discrete.N);
            return;
        }

        var box = (BoxSpace)space;
        for (var i = 0; i < action.Length; i++)
        {
            var low = float.IsFinite(box.Low[i]) ? box.Low[i] : -1f;
            var high = float.IsFinite(box.High[i]) ? box.High[i] : 1f;
            action[i] = (float)random.Uniform(low, high);
        }
    }
}
