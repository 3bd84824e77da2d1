using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;
using PipeRL.Tensors;

namespace PipeRL.Agents.Networks;

/// <summary>
/// A catalogue architecture as an actor: acting streams it with a <see cref="PipelineExecutor"/> (pipelined or
/// instant), training unrolls it with an <see cref="UnrolledPipeline"/> from instant-forward start values. Layer
/// values carry over episode ends, as in the authors' code. CleanRL's initialisation: orthogonal √2 weights, zero
/// biases, orthogonal 0.01 for the policy head.
/// </summary>
public sealed class PipelineActor : IActorNetwork
{
    private readonly Architecture _architecture;
    private readonly PipelineNetwork _network;
    private readonly UnrolledPipeline _unrolled;
    private readonly string _head;
    private PipelineExecutor? _executor;
    private Tensor _unrollInputs = Tensor.Zeros(new Shape(0));

    /// <summary>Creates the actor of <paramref name="architecture"/> with parameters drawn from <paramref name="seed"/>.</summary>
    public PipelineActor(Architecture architecture, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        _architecture = architecture;
        var rng = new SeededRandom(seed);
        _network = new PipelineNetwork(architecture.Graph, rng);
        _unrolled = new UnrolledPipeline(_network, architecture.Mode);
        _head = architecture.PolicyHead;
        foreach (var layer in architecture.Graph.Layers)
        {
            var parameters = _network.ParametersOf(layer.Name);
            if (parameters.Count > 0 && parameters[0].Shape.Rank >= 2)
            {
                Initializers.Orthogonal(parameters[0].Value, rng, layer.Name == _head ? 0.01 : Math.Sqrt(2));
                foreach (var bias in parameters.Skip(1))
                {
                    bias.Value.Clear();
                }
            }
        }

        var delays = architecture.Delays();
        MinimumDelay = delays.MinimumDelay;
        // A recurrence has no finite window; twice the depth warms it up well enough.
        ReceptiveWindow = delays.ReceptiveWindow ?? (2 * architecture.Graph.Layers.Count(l => l.IsComputing));
    }

    /// <summary>The architecture.</summary>
    public Architecture Architecture => _architecture;

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
    public int ReceptiveWindow { get; }

    /// <inheritdoc/>
    public void Begin(ReadOnlySpan<float> inputs, int numEnvs, WorkerPool? workers = null)
    {
        _executor = new PipelineExecutor(_network, numEnvs, _architecture.Mode, workers);
        if (_architecture.Mode == ExecutionMode.Pipelined)
        {
            // The authors' get_instant_activations: every layer starts at its whole-graph value on the first input.
            var instant = new PipelineExecutor(_network, numEnvs, ExecutionMode.Instant);
            instant.Tick(inputs);
            _executor.Restore(instant.State);
        }
    }

    /// <inheritdoc/>
    public void Step(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        var executor = _executor ?? throw new InvalidOperationException("Call Begin before Step.");
        executor.Tick(inputs);
        executor.Output(_head).CopyTo(outputs);
    }

    /// <inheritdoc/>
    public Var Unroll(Tape tape, ReadOnlySpan<float> inputs, int ticks, int envs, int fromTick = 0)
    {
        ArgumentNullException.ThrowIfNull(tape);
        var size = ticks * envs * InputSize;
        if (inputs.Length != size)
        {
            throw new ArgumentException($"Unroll expects {ticks} x {envs} x {InputSize} inputs, got {inputs.Length}.", nameof(inputs));
        }

        // The tape reads the inputs until backward, so they live in a buffer of the actor's.
        if (_unrollInputs.Length != size)
        {
            _unrollInputs = Tensor.Zeros(new Shape(size));
        }

        inputs.CopyTo(_unrollInputs.Span);
        var start = _architecture.Mode == ExecutionMode.Pipelined ? UnrolledStart.Instant : UnrolledStart.Zero;
        return _unrolled.Run(tape, _unrollInputs, ticks, start, target: new UnrolledTarget(_head, fromTick)).Outputs(_head);
    }
}
