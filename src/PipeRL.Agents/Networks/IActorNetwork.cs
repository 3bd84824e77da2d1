using PipeRL.Tensors;

namespace PipeRL.Agents.Networks;

/// <summary>
/// A policy network as an algorithm uses it, for a batch of envs: stepped one tick at a time while acting
/// (pipelined or instant), and unrolled over a window with gradients while training. Its input is the observation
/// with the action history appended (see <see cref="Ppo.ActionHistory"/>); its output parameterises the action
/// distribution (categorical logits, or a Gaussian's means and log standard deviations).
/// </summary>
public interface IActorNetwork : IModule
{
    /// <summary>Floats of one env's input: the observation followed by <see cref="HistoryLength"/> actions.</summary>
    int InputSize { get; }

    /// <summary>Floats of one env's output.</summary>
    int OutputSize { get; }

    /// <summary>Past actions the input carries.</summary>
    int HistoryLength { get; }

    /// <summary>Ticks from an observation entering the network to the first action it affects (0 when instant).</summary>
    int MinimumDelay { get; }

    /// <summary>Ticks of input an action depends on beyond the current one (0 when instant): the burn-in a replay needs.</summary>
    int ReceptiveWindow { get; }

    /// <summary>
    /// Starts acting for <paramref name="numEnvs"/> envs, with every layer value set by an instant (whole-graph)
    /// forward pass on <paramref name="inputs"/> [envs, input] (the authors' <c>get_instant_activations</c>);
    /// <paramref name="workers"/>, when given, run the ticks' layers and big products (same outputs bit for bit).
    /// </summary>
    void Begin(ReadOnlySpan<float> inputs, int numEnvs, WorkerPool? workers = null);

    /// <summary>Advances one tick on <paramref name="inputs"/> [envs, input] and writes the output the action of this tick is drawn from.</summary>
    void Step(ReadOnlySpan<float> inputs, Span<float> outputs);

    /// <summary>
    /// Records on <paramref name="tape"/> the outputs that <see cref="Begin"/> on the first tick's inputs followed by
    /// <see cref="Step"/> on every tick would give, for <paramref name="inputs"/> [ticks, envs, input] (tick-major;
    /// the actor copies them, so the caller may reuse the span); the result holds the outputs of ticks
    /// <paramref name="fromTick"/> on, [(ticks − fromTick) · envs, output], tick-major like the inputs (row (t − fromTick) · envs + env).
    /// Only what those outputs depend on needs to be computed.
    /// </summary>
    Var Unroll(Tape tape, ReadOnlySpan<float> inputs, int ticks, int envs, int fromTick = 0);
}
