namespace PipeRL.Agents.Ppo;

/// <summary>One rollout's storage, step-major (<c>[step, env, ...]</c>), allocated once per run.</summary>
public sealed class PpoRollout
{
    /// <summary>Allocates a rollout of <paramref name="steps"/> ticks of <paramref name="envs"/> envs.</summary>
    public PpoRollout(int steps, int envs, int criticInputSize, int inputSize, int actionSize)
    {
        Steps = steps;
        Envs = envs;
        CriticInputSize = criticInputSize;
        InputSize = inputSize;
        ActionSize = actionSize;
        var n = steps * envs;
        CriticInputs = new float[n * criticInputSize];
        Inputs = new float[n * inputSize];
        Actions = new float[n * actionSize];
        LogProbs = new float[n];
        Values = new float[n];
        NextValues = new float[n];
        Rewards = new float[n];
        Terminated = new bool[n];
        Truncated = new bool[n];
        Advantages = new float[n];
        Returns = new float[n];
        Decided = new bool[steps];
        EpisodeStarts = new bool[n];
    }

    /// <summary>Per tick: whether its actions were decided then (false while a sequential actor holds its previous ones); only decided ticks carry a policy loss.</summary>
    public bool[] Decided { get; }

    /// <summary>Per tick and env: whether a new episode started at the tick (the previous tick ended one).</summary>
    public bool[] EpisodeStarts { get; }

    /// <summary>Ticks per env.</summary>
    public int Steps { get; }

    /// <summary>Envs.</summary>
    public int Envs { get; }

    /// <summary>Floats per critic input.</summary>
    public int CriticInputSize { get; }

    /// <summary>Floats per actor input (observation and action history).</summary>
    public int InputSize { get; }

    /// <summary>Floats per action.</summary>
    public int ActionSize { get; }

    /// <summary>The critic's inputs: o_t, or [o_t; a_(t−K) … a_(t−1)] (see <see cref="CriticInput"/>).</summary>
    public float[] CriticInputs { get; }

    /// <summary>The actor's inputs [o_t; history].</summary>
    public float[] Inputs { get; }

    /// <summary>The sampled actions (unclipped).</summary>
    public float[] Actions { get; }

    /// <summary>log π_old(a_t).</summary>
    public float[] LogProbs { get; }

    /// <summary>V_old of the critic's inputs.</summary>
    public float[] Values { get; }

    /// <summary>The value of the state each step reached (see <see cref="Gae.Compute"/>).</summary>
    public float[] NextValues { get; }

    /// <summary>Rewards (raw, summed over τ env steps).</summary>
    public float[] Rewards { get; }

    /// <summary>Whether the step ended its episode in a terminal state.</summary>
    public bool[] Terminated { get; }

    /// <summary>Whether the step ended its episode by a time limit.</summary>
    public bool[] Truncated { get; }

    /// <summary>GAE advantages.</summary>
    public float[] Advantages { get; }

    /// <summary>λ-returns, the critic's targets.</summary>
    public float[] Returns { get; }

    /// <summary>Row <paramref name="step"/> of <paramref name="buffer"/> holding <paramref name="width"/> floats per env.</summary>
    public Span<float> Row(float[] buffer, int step, int width) => buffer.AsSpan(step * Envs * width, Envs * width);
}
