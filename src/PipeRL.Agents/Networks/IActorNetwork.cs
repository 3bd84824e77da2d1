using PipeRL.Tensors;

namespace PipeRL.Agents.Networks;

/// <summary>
/// A policy network as an algorithm uses it, for a batch of envs: ticked one tick at a time while acting (instant,
/// pipelined or sequential), and replayed over a window with gradients while training. Its input is the observation
/// with the action history appended (see <see cref="Acting.ActionHistory"/>); its output parameterises the action
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

    /// <summary>Ticks between two new actions (1; N for a network whose N layers run one after another).</summary>
    int ActionPeriod { get; }

    /// <summary>
    /// Ticks of input an action depends on beyond the current one (0 when instant), or null when a recurrence makes it
    /// unbounded: the burn-in a replay from an instant start needs to be exact.
    /// </summary>
    int? ReceptiveWindow { get; }

    /// <summary>
    /// Whether the output acting during a tick is final before that tick's input is read (every delayed actor), so the
    /// input written for tick t can carry the action a_t; false for an instant actor, which acts on the output of
    /// the tick it has just computed.
    /// </summary>
    bool ActsBeforeInput { get; }

    /// <summary>Whether the next tick's action is new (always, except inside a sequential network's pass, where the previous action is held).</summary>
    bool DecidesNextTick { get; }

    /// <summary>
    /// The output the current action is drawn from, [envs, output]: for an actor that <see cref="ActsBeforeInput"/>,
    /// the value final after the last tick (it acts during the next tick); for an instant actor, the value computed by
    /// the last <see cref="Tick"/> (it acts during that tick).
    /// </summary>
    ReadOnlySpan<float> ActingOutput { get; }

    /// <summary>
    /// Starts acting for <paramref name="numEnvs"/> envs, with every layer value set by an instant (whole-graph)
    /// forward pass on <paramref name="inputs"/> [envs, input] (the authors' <c>get_instant_activations</c>);
    /// <paramref name="workers"/>, when given, run the ticks' layers and big products (same outputs bit for bit).
    /// </summary>
    void Begin(ReadOnlySpan<float> inputs, int numEnvs, WorkerPool? workers = null);

    /// <summary>Advances one tick on <paramref name="inputs"/> [envs, input].</summary>
    void Tick(ReadOnlySpan<float> inputs);

    /// <summary>Applies the actor's episode-boundary policy to env <paramref name="env"/>, whose episode has just ended.</summary>
    void EndEpisode(int env);

    /// <summary>
    /// The acting state (every layer value, LSTM cells, a sequential pass in flight) as it is now, written into
    /// <paramref name="reuse"/> when given; <see cref="Replay"/> from it reproduces the outputs of the ticks that follow.
    /// </summary>
    ActorSnapshot Snapshot(ActorSnapshot? reuse = null);

    /// <summary>
    /// Writes the acting state (what <see cref="Snapshot"/> captures) for <see cref="ResumeActing"/>, which may run in
    /// another process.
    /// </summary>
    void WriteActingState(BinaryWriter writer);

    /// <summary>
    /// Starts acting for <paramref name="numEnvs"/> envs from a state <see cref="WriteActingState"/> wrote, instead of
    /// <see cref="Begin"/>: the ticks that follow give the outputs the writer's ticks would have given (bit for bit).
    /// A state of another architecture or env count is refused with an <see cref="InvalidDataException"/>.
    /// </summary>
    void ResumeActing(BinaryReader reader, int numEnvs, WorkerPool? workers = null);

    /// <summary>
    /// Records on <paramref name="tape"/> the acting outputs of <paramref name="ticks"/> ticks of <paramref name="inputs"/>
    /// [ticks, envs, input] (tick-major; copied, so the caller may reuse the span) for the envs
    /// <paramref name="envs"/> of <paramref name="start"/>: the outputs ticking on from that snapshot would give. A
    /// null start is the authors' scheme: every layer value from an instant pass on the first tick's input, exact only
    /// after <see cref="ReceptiveWindow"/> ticks. <paramref name="episodeStarts"/> [ticks, envs] (or empty) marks
    /// the ticks where an env's new episode starts, where the episode-boundary policy applies. The result holds the
    /// outputs of ticks <paramref name="fromTick"/> on, [(ticks − fromTick) · envs, output], tick-major.
    /// </summary>
    Var Replay(Tape tape, ReadOnlySpan<float> inputs, int ticks, ReadOnlySpan<int> envs, ActorSnapshot? start, ReadOnlySpan<bool> episodeStarts, int fromTick = 0);
}
