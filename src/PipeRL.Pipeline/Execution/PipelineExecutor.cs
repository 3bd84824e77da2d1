using System.Diagnostics;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// Streams a <see cref="PipelineNetwork"/> one tick per call for a batch of envs, with the layer values as state.
/// In <see cref="ExecutionMode.Pipelined"/> mode each layer reads its inputs from the tick they are marked with,
/// and <see cref="Output"/> is the head's value of the previous tick (the one that acts during this tick); in
/// <see cref="ExecutionMode.Instant"/> mode the whole graph runs on the current input. With a
/// <see cref="WorkerPool"/> the independent layers of a tick may run concurrently (see <see cref="Schedule"/>); the
/// results are bit-identical. With <c>overlapTicks</c>, a split tick may return before the workers' layers are done
/// (they finish during the next tick; see <see cref="OverlapsTicks"/>).
/// </summary>
/// <remarks>
/// This class keeps the tick's semantics (the swap of current and previous values, inputs, outputs, episode
/// boundaries); <see cref="TickScheduler"/> decides which thread computes what, and <see cref="TickLayers"/> computes it.
/// At small batch, dense layers skip their zero inputs (ReLU outputs, binary observations): they read only the rows of
/// a transposed weight copy that belong to nonzero inputs, and a batch-1 conv multiplies its patches, read in place from
/// a zero-padded copy of its input, by a weight copy packed for the engine's product; both copies are rebuilt when a
/// weight's <see cref="Parameter.Version"/> moves (optimizer steps and checkpoint restores announce it; call
/// <see cref="Parameter.MarkChanged"/> after writing a weight directly).
/// </remarks>
public sealed class PipelineExecutor : ITickExecutor
{
    /// <summary>Rounds of <see cref="TimeThreadParts"/>.</summary>
    private const int PartRounds = 5;

    private readonly PipelineGraph _graph;
    private readonly TickScheduler _scheduler;
    private readonly TickLayers _layers;
    private PipelineState _current;
    private PipelineState _previous;

    /// <summary>
    /// Creates an executor of <paramref name="network"/> for <paramref name="batch"/> envs, all values zero;
    /// <paramref name="skipZeroInputs"/> false keeps every layer on the engine's dense kernels; with
    /// <paramref name="workers"/>, <paramref name="scheduling"/> says how the threads are used, and <paramref name="overlapTicks"/>
    /// lets a split pipelined tick return before its workers are done (see <see cref="OverlapsTicks"/>).
    /// </summary>
    public PipelineExecutor(
        PipelineNetwork network,
        int batch,
        ExecutionMode mode = ExecutionMode.Pipelined,
        WorkerPool? workers = null,
        bool skipZeroInputs = true,
        TickScheduling scheduling = TickScheduling.Auto,
        bool overlapTicks = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        _graph = network.Graph;
        _current = new PipelineState(_graph, batch);
        _previous = new PipelineState(_graph, batch);
        _scheduler = TickScheduler.Create(network, new TickPlan(_graph, mode), batch, skipZeroInputs, workers, scheduling, overlapTicks);
        _layers = _scheduler.Layers;
        Batch = batch;
        Mode = mode;
    }

    /// <summary>The number of envs.</summary>
    public int Batch { get; }

    /// <summary>How the graph is run.</summary>
    public ExecutionMode Mode { get; }

    /// <summary>Ticks computed since creation or the last <see cref="Clear"/>.</summary>
    public long Ticks { get; private set; }

    /// <summary>The layer values after the last tick (what the next tick reads as the previous tick's values).</summary>
    public PipelineState State
    {
        get
        {
            Join();
            return _current;
        }
    }

    /// <summary>
    /// Whether a split tick's workers lag the caller by a tick: a tick hands the workers their layers first, computes the
    /// caller's, waiting for the last tick's workers only before the first caller layer that would touch what they use, and
    /// returns without waiting for its own. Requested with <c>overlapTicks</c>; possible for a pipelined tick whose layers
    /// form one wave split into whole layers on the tick paths (dense layers at batch 16 or less, convs at batch 1), whose
    /// workers read no input of the previous tick. The action (<see cref="Output"/>) is the head's value of the tick before,
    /// complete by then, so it waits for nothing; <see cref="Value"/>, <see cref="State"/>, <see cref="Restore"/>,
    /// <see cref="ResetEnv"/> and <see cref="Clear"/> wait for the workers first. Every bit is the same as without it. For
    /// inference: the workers' weights must hold still between ticks, so call <see cref="Join"/> before changing them (an
    /// optimizer step); a weight whose version moved while workers ran throws at the next tick or join.
    /// </summary>
    public bool OverlapsTicks => _scheduler.Overlaps;

    /// <summary>Waits for the workers of overlapped ticks (see <see cref="OverlapsTicks"/>); nothing otherwise.</summary>
    public void Join() => _scheduler.Join();

    /// <summary>How the tick is spread over the pool's threads, as chosen at construction.</summary>
    public TickSchedule Schedule => _scheduler.Schedule;

    /// <summary>
    /// Whether ticks run as <see cref="Schedule"/> says: with <see cref="TickScheduling.Auto"/> the schedule is timed against
    /// one thread now and then (see <see cref="SplitProbe"/>), and false means the last check found one thread faster (a busy machine).
    /// </summary>
    public bool RunsAsScheduled => _scheduler.Parallel;

    /// <summary>The fraction of the ticks so far that ran spread over more than one thread (0 on one thread).</summary>
    public double SplitTickShare => _scheduler.SplitShare;

    /// <summary>
    /// Times what each thread of <see cref="Schedule"/> computes in a tick, each part alone on the caller, about
    /// <paramref name="runs"/> times on the last tick's inputs, in <see cref="PartRounds"/> rounds that take the parts in
    /// turn; returns each part's median round in seconds per run, one entry per thread. The busiest part is what a split
    /// tick would take if its fork and join were free and the threads did not slow each other; the rest of a split tick's
    /// time is that cost. Empty where the tick runs on one thread or the schedule splits an engine product (whose parts the
    /// engine hands out itself). The last tick is then computed again, so the state keeps its bits.
    /// </summary>
    /// <remarks>
    /// Rounds, not one timing per part: with tiered compilation the first timing of a part can catch its path being
    /// recompiled (the bench's N=4 w=256 b=1 caller part read 4.8 µs in one go against 3.1-3.3 µs in later rounds).
    /// </remarks>
    public IReadOnlyList<double> TimeThreadParts(int runs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        if (Ticks == 0)
        {
            throw new InvalidOperationException("Run a tick first: the threads' parts are timed on the last tick's inputs.");
        }

        if (!_scheduler.CanRunThreadParts)
        {
            return [];
        }

        var perRound = Math.Max(1, runs / PartRounds);
        var rounds = new double[Schedule.PoolThreads][];
        for (var thread = 0; thread < rounds.Length; thread++)
        {
            rounds[thread] = new double[PartRounds];
        }

        for (var round = 0; round < PartRounds; round++)
        {
            for (var thread = 0; thread < rounds.Length; thread++)
            {
                _scheduler.RunThreadPart(thread);
                var start = Stopwatch.GetTimestamp();
                for (var r = 0; r < perRound; r++)
                {
                    _scheduler.RunThreadPart(thread);
                }

                rounds[thread][round] = Stopwatch.GetElapsedTime(start).TotalSeconds / perRound;
            }
        }

        _scheduler.RunOnCaller();
        return [.. rounds.Select(r => r.Order().ElementAt(PartRounds / 2))];
    }

    /// <summary>Runs one tick on the batch's input ([batch, input size], row-major) of a single-input graph.</summary>
    public void Tick(ReadOnlySpan<float> input)
    {
        if (_graph.Inputs.Count != 1)
        {
            throw new InvalidOperationException($"The graph has {_graph.Inputs.Count} inputs; set each with SetInput(name, values) and call Tick().");
        }

        (_current, _previous) = (_previous, _current);
        CopyInput(_graph.Inputs[0], input);
        Compute();
    }

    /// <summary>Sets the next tick's value of input <paramref name="name"/> ([batch, size]); then call <see cref="Tick()"/>.</summary>
    public void SetInput(string name, ReadOnlySpan<float> values)
    {
        var layer = _graph[name];
        if (layer.Kind != LayerKind.Input)
        {
            throw new ArgumentException($"'{name}' is not an input of the graph.", nameof(name));
        }

        // Inputs are staged in the buffer that becomes current at the next tick.
        Stage(layer.Index, values, _previous);
    }

    /// <summary>Runs one tick on the inputs set with <see cref="SetInput"/>.</summary>
    public void Tick()
    {
        (_current, _previous) = (_previous, _current);
        Compute();
    }

    /// <summary>The value of head <paramref name="head"/> that acts during the last tick: its previous-tick value when pipelined, its current value when instant.</summary>
    public ReadOnlySpan<float> Output(string head)
    {
        var layer = _graph[head];
        return (Mode == ExecutionMode.Pipelined ? _previous : _current).Values[layer.Index];
    }

    /// <summary>The value layer <paramref name="name"/> computed during the last tick, [batch, size].</summary>
    public ReadOnlySpan<float> Value(string name)
    {
        Join();
        return _current.Values[_graph[name].Index];
    }

    /// <summary>Applies the episode-boundary policy to every env whose episode ended (<paramref name="done"/>[env]).</summary>
    public void EndEpisodes(ReadOnlySpan<bool> done, EpisodeBoundary policy)
    {
        if (done.Length != Batch)
        {
            throw new ArgumentException($"Expected {Batch} done flags, got {done.Length}.", nameof(done));
        }

        if (policy == EpisodeBoundary.Carry)
        {
            return;
        }

        for (var env = 0; env < Batch; env++)
        {
            if (done[env])
            {
                ResetEnv(env);
            }
        }
    }

    /// <summary>Sets every layer value of env <paramref name="env"/> to zero (the <see cref="EpisodeBoundary.Reset"/> policy).</summary>
    public void ResetEnv(int env)
    {
        Join();
        _current.ClearEnv(env);
        _previous.ClearEnv(env);
    }

    /// <summary>Sets every value to zero and the tick count to 0.</summary>
    public void Clear()
    {
        Join();
        _current.Clear();
        _previous.Clear();
        Ticks = 0;
    }

    /// <summary>Replaces the layer values with <paramref name="state"/> (the next tick reads them as the previous tick's values).</summary>
    public void Restore(PipelineState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Join();
        _current.CopyFrom(state);
    }

    private void CopyInput(int index, ReadOnlySpan<float> values) => Stage(index, values, _current);

    private void Stage(int index, ReadOnlySpan<float> values, PipelineState state)
    {
        var buffer = state.Values[index];
        if (values.Length != buffer.Length)
        {
            throw new ArgumentException($"Input '{_graph.Layers[index].Name}' takes {buffer.Length} values ({Batch} x {_graph.Layers[index].OutputSize}), got {values.Length}.", nameof(values));
        }

        values.CopyTo(buffer);
    }

    /// <summary>The scheduler, for tests of what each thread computes.</summary>
    internal TickScheduler Scheduler => _scheduler;

    private void Compute()
    {
        _layers.Use(_current, _previous);
        _scheduler.Run();
        Ticks++;
    }
}
