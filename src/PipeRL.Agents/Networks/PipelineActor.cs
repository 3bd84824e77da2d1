using PipeRL.Envs;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Tensors;

namespace PipeRL.Agents.Networks;

/// <summary>
/// An architecture as an actor: acting streams it with a <see cref="PipelineExecutor"/> (instant, pipelined, or
/// sequential: whole-graph passes on an input latched every N ticks), training replays it with an
/// <see cref="UnrolledPipeline"/> from a snapshot of the acting state. Layer values carry over episode ends (the
/// authors' code) or reset to zero (<see cref="EpisodeBoundary.Reset"/>). CleanRL's initialisation: orthogonal √2
/// weights, zero biases, orthogonal 0.01 for the policy head; LSTM recurrent weights orthogonal too.
/// </summary>
public sealed class PipelineActor : IActorNetwork
{
    private const int StateVersion = 1;

    private readonly Architecture _architecture;
    private readonly PipelineNetwork _network;
    private readonly UnrolledPipeline _unrolled;
    private readonly string _head;
    private readonly int _period;
    private PipelineExecutor? _executor;
    private Tensor _replayInputs = Tensor.Zeros(new Shape(0));
    private PipelineState? _replayStart;
    private Tensor _heldMask = Tensor.Zeros(new Shape(0));
    private Tensor _heldOutputs = Tensor.Zeros(new Shape(0));
    private float[] _latched = [];
    private float[] _source = [];
    private int _phase;

    /// <summary>Creates the actor of <paramref name="architecture"/> with parameters drawn from <paramref name="seed"/>.</summary>
    public PipelineActor(Architecture architecture, ulong seed, EpisodeBoundary boundary = EpisodeBoundary.Carry)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (architecture.Mode == ExecutionMode.Sequential && architecture.Graph.Layers.Any(l => l.IsRecurrent))
        {
            throw new ArgumentException($"Architecture '{architecture.Name}' has LSTM cells, whose state a sequential pass would not carry; run it instant or pipelined.", nameof(architecture));
        }

        if (architecture.Mode == ExecutionMode.Sequential && boundary == EpisodeBoundary.Reset)
        {
            throw new ArgumentException("A sequential network finishes the pass in flight when an episode ends (it holds no layer values to reset); use the carry episode boundary.", nameof(boundary));
        }

        _architecture = architecture;
        Boundary = boundary;
        var rng = new SeededRandom(seed);
        _network = new PipelineNetwork(architecture.Graph, rng);
        _unrolled = new UnrolledPipeline(_network, architecture.Mode, boundary);
        _head = architecture.PolicyHead;
        OrthogonalInit.Apply(_network, rng, _head, headGain: 0.01);

        var delays = architecture.Delays();
        MinimumDelay = delays.MinimumDelay;
        ReceptiveWindow = delays.ReceptiveWindow;
        _period = architecture.ActionPeriod;
    }

    /// <summary>The architecture.</summary>
    public Architecture Architecture => _architecture;

    /// <summary>What happens to an env's layer values when its episode ends.</summary>
    public EpisodeBoundary Boundary { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => _network.Parameters;

    /// <inheritdoc/>
    public int InputSize => _architecture.Graph[_architecture.Input].OutputSize;

    /// <inheritdoc/>
    public int OutputSize => _architecture.Graph[_head].OutputSize;

    /// <inheritdoc/>
    public int HistoryLength => _architecture.HistoryLength;

    /// <inheritdoc/>
    public int MinimumDelay { get; }

    /// <inheritdoc/>
    public int ActionPeriod => _period;

    /// <inheritdoc/>
    public int? ReceptiveWindow { get; }

    /// <inheritdoc/>
    public bool ActsBeforeInput => _architecture.Mode != ExecutionMode.Instant;

    /// <inheritdoc/>
    public bool DecidesNextTick => _phase == 0;

    /// <inheritdoc/>
    public ReadOnlySpan<float> ActingOutput => Executor.Value(_head);

    private PipelineExecutor Executor => _executor ?? throw new InvalidOperationException("Call Begin before acting.");

    // A sequential network's passes are whole-graph (instant) ticks of the executor.
    private ExecutionMode ExecutorMode => _architecture.Mode == ExecutionMode.Pipelined ? ExecutionMode.Pipelined : ExecutionMode.Instant;

    private string StateKind => $"actor {_architecture.Name} ({_architecture.Mode})";

    /// <inheritdoc/>
    public void Begin(ReadOnlySpan<float> inputs, int numEnvs, WorkerPool? workers = null)
    {
        _executor = new PipelineExecutor(_network, numEnvs, ExecutorMode, workers);
        _phase = 0;
        switch (_architecture.Mode)
        {
            case ExecutionMode.Pipelined:
                // The authors' get_instant_activations: every layer starts at its whole-graph value on the first input.
                var instant = new PipelineExecutor(_network, numEnvs, ExecutionMode.Instant);
                instant.Tick(inputs);
                _executor.Restore(instant.State);
                break;
            case ExecutionMode.Sequential:
                // As if a pass on the first input had just finished: the first action comes from it.
                _latched = inputs.ToArray();
                _source = inputs.ToArray();
                _executor.Tick(_source);
                break;
        }
    }

    /// <inheritdoc/>
    public void Tick(ReadOnlySpan<float> inputs)
    {
        var executor = Executor;
        if (_architecture.Mode != ExecutionMode.Sequential)
        {
            executor.Tick(inputs);
            return;
        }

        if (_phase == 0)
        {
            inputs.CopyTo(_latched);
        }

        if (++_phase == _period)
        {
            // The pass started N ticks ago finishes: its output acts from the next tick on.
            _phase = 0;
            (_source, _latched) = (_latched, _source);
            executor.Tick(_source);
        }
    }

    /// <inheritdoc/>
    public void EndEpisode(int env)
    {
        if (Boundary == EpisodeBoundary.Reset)
        {
            Executor.ResetEnv(env);
        }
    }

    /// <inheritdoc/>
    public ActorSnapshot Snapshot(ActorSnapshot? reuse = null)
    {
        var executor = Executor;
        var snapshot = reuse ?? new ActorSnapshot();
        if (snapshot.Layers is { } layers && layers.Batch == executor.Batch)
        {
            layers.CopyFrom(executor.State);
        }
        else
        {
            snapshot.Layers = executor.State.Clone();
        }

        snapshot.Latched = CopyInto(snapshot.Latched, _latched);
        snapshot.Source = CopyInto(snapshot.Source, _source);
        snapshot.Output = _architecture.Mode == ExecutionMode.Sequential ? CopyInto(snapshot.Output, executor.Value(_head)) : [];
        snapshot.Phase = _phase;
        return snapshot;
    }

    /// <inheritdoc/>
    public void WriteActingState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var executor = Executor;
        writer.WriteHeader(StateKind, StateVersion);
        writer.WriteCount(executor.Batch, "envs");
        writer.Write(_phase);
        writer.WriteArray(_latched);
        writer.WriteArray(_source);
        var state = executor.State;
        foreach (var layer in _architecture.Graph.Layers)
        {
            writer.WriteArray(state.Value(layer.Name));
            if (layer.IsRecurrent)
            {
                writer.WriteArray(state.Cell(layer.Name));
            }
        }
    }

    /// <inheritdoc/>
    public void ResumeActing(BinaryReader reader, int numEnvs, WorkerPool? workers = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        reader.ReadHeader(StateKind, StateVersion);
        reader.ReadCount(numEnvs, "envs");
        var executor = new PipelineExecutor(_network, numEnvs, ExecutorMode, workers);
        _phase = reader.ReadInt32(0, _period - 1, "ticks into a sequential pass");
        var latched = _architecture.Mode == ExecutionMode.Sequential ? numEnvs * InputSize : 0;
        (_latched, _source) = (new float[latched], new float[latched]);
        reader.ReadArray(_latched);
        reader.ReadArray(_source);

        // The next tick reads these as the previous tick's values; nothing older enters it.
        var state = executor.State;
        foreach (var layer in _architecture.Graph.Layers)
        {
            reader.ReadArray(state.Value(layer.Name));
            if (layer.IsRecurrent)
            {
                reader.ReadArray(state.Cell(layer.Name));
            }
        }

        _executor = executor;
    }

    /// <inheritdoc/>
    public Var Replay(Tape tape, ReadOnlySpan<float> inputs, int ticks, ReadOnlySpan<int> envs, ActorSnapshot? start, ReadOnlySpan<bool> episodeStarts, int fromTick = 0)
    {
        ArgumentNullException.ThrowIfNull(tape);
        var b = envs.Length;
        if (inputs.Length != ticks * b * InputSize)
        {
            throw new ArgumentException($"Replay expects {ticks} x {b} x {InputSize} inputs, got {inputs.Length}.", nameof(inputs));
        }

        if (_architecture.Mode == ExecutionMode.Sequential)
        {
            return ReplaySequential(tape, inputs, ticks, envs, start, fromTick);
        }

        // The tape reads the inputs until backward, so they live in a buffer of the actor's.
        var data = ReplayBuffer(inputs.Length);
        inputs.CopyTo(data.Span);
        PipelineState? initial = null;
        var mode = UnrolledStart.Zero;
        if (start?.Layers is { } layers)
        {
            if (_replayStart is null || _replayStart.Batch != b)
            {
                _replayStart = new PipelineState(_architecture.Graph, b);
            }

            _replayStart.CopyEnvsFrom(layers, envs);
            (initial, mode) = (_replayStart, UnrolledStart.Given);
        }
        else if (_architecture.Mode == ExecutionMode.Pipelined)
        {
            mode = UnrolledStart.Instant;
        }

        var starts = Boundary == EpisodeBoundary.Reset && episodeStarts.Length > 0 ? EpisodeStarts(episodeStarts, ticks, b) : null;
        return _unrolled.Run(tape, data, ticks, mode, initial, starts, new UnrolledTarget(_head, fromTick)).Outputs(_head);
    }

    /// <summary>
    /// A sequential actor's acting output at tick t is the whole-graph output on the input latched at the start of the
    /// last pass completed before t: the replay gathers those inputs (from the window, or the pass in flight at the
    /// snapshot) and runs them instant. Ticks still acting on the pass completed before the snapshot take its output as
    /// a constant, as it was computed with the weights of its time.
    /// </summary>
    private Var ReplaySequential(Tape tape, ReadOnlySpan<float> inputs, int ticks, ReadOnlySpan<int> envs, ActorSnapshot? start, int fromTick)
    {
        int b = envs.Length, size = InputSize;
        int rows = (ticks - fromTick) * b, o = OutputSize;
        var data = ReplayBuffer(rows * size);
        var span = data.Span;
        var constantRows = 0;
        if (_heldMask.Length != rows * o)
        {
            (_heldMask, _heldOutputs) = (Tensor.Zeros(rows, o), Tensor.Zeros(rows, o));
        }

        _heldMask.Span.Fill(1f);
        _heldOutputs.Clear();

        // -1 and -2 stand for the snapshot's completed pass and the pass in flight; 0.. for window ticks.
        int source = -1, latched = -2;
        var phase = start?.Phase ?? 0;
        if (start is null)
        {
            (source, latched) = (0, 0);
        }

        for (var t = 0; t < ticks; t++)
        {
            if (t >= fromTick)
            {
                for (var j = 0; j < b; j++)
                {
                    var row = ((t - fromTick) * b) + j;
                    ReadOnlySpan<float> input = source switch
                    {
                        -1 => start!.Source.AsSpan(envs[j] * size, size),
                        -2 => start!.Latched.AsSpan(envs[j] * size, size),
                        _ => inputs.Slice(((source * b) + j) * size, size),
                    };
                    input.CopyTo(span.Slice(row * size, size));
                    if (source == -1 && start!.Output.Length > 0)
                    {
                        _heldMask.Span.Slice(row * o, o).Clear();
                        start.Output.AsSpan(envs[j] * o, o).CopyTo(_heldOutputs.Span.Slice(row * o, o));
                        constantRows++;
                    }
                }
            }

            if (phase == 0)
            {
                latched = t;
            }

            if (++phase == _period)
            {
                (phase, source) = (0, latched);
            }
        }

        var outputs = _unrolled.Run(tape, data, 1).Outputs(_head);
        return constantRows == 0 ? outputs : tape.Add(tape.Mul(outputs, tape.Input(_heldMask)), tape.Input(_heldOutputs));
    }

    private Tensor ReplayBuffer(int size)
    {
        if (_replayInputs.Length != size)
        {
            _replayInputs = Tensor.Zeros(new Shape(size));
        }

        return _replayInputs;
    }

    private static bool[][] EpisodeStarts(ReadOnlySpan<bool> flags, int ticks, int envs)
    {
        var starts = new bool[ticks][];
        for (var t = 0; t < ticks; t++)
        {
            starts[t] = flags.Slice(t * envs, envs).ToArray();
        }

        return starts;
    }

    private static float[] CopyInto(float[] destination, ReadOnlySpan<float> source)
    {
        if (destination.Length != source.Length)
        {
            destination = new float[source.Length];
        }

        source.CopyTo(destination);
        return destination;
    }
}
