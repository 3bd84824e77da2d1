using PipeRL.Envs;

namespace PipeRL.Bench.EnvBenchmarks;

/// <summary>Uniformly random actions for a <see cref="DiscreteSpace"/> or a bounded <see cref="BoxSpace"/>, from a seeded source.</summary>
public sealed class RandomPolicy
{
    private readonly Space _space;
    private NumpyRandomState _random;

    /// <summary>Creates the policy for <paramref name="space"/>, seeded with <paramref name="seed"/>.</summary>
    public RandomPolicy(Space space, int seed)
    {
        if (space is BoxSpace box && !AllFinite(box))
        {
            throw new ArgumentException($"A random policy needs finite action bounds; {box} has infinite ones.", nameof(space));
        }

        _space = space;
        _random = new NumpyRandomState((uint)seed);
    }

    /// <summary>Re-seeds the policy.</summary>
    public void Seed(int seed) => _random = new NumpyRandomState((uint)seed);

    /// <summary>Writes one action (one flat element of the space) into <paramref name="action"/>.</summary>
    public void Sample(Span<float> action)
    {
        if (_space is DiscreteSpace discrete)
        {
            action[0] = _random.NextInt(0, discrete.N);
            return;
        }

        var box = (BoxSpace)_space;
        for (var i = 0; i < action.Length; i++)
        {
            action[i] = (float)_random.Uniform(box.Low[i], box.High[i]);
        }
    }

    private static bool AllFinite(BoxSpace box)
    {
        for (var i = 0; i < box.FlatSize; i++)
        {
            if (!float.IsFinite(box.Low[i]) || !float.IsFinite(box.High[i]))
            {
                return false;
            }
        }

        return true;
    }
}
