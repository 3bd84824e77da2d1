using PipeRL.Agents.Networks;
using PipeRL.Tensors;

namespace PipeRL.Agents.Tests.Support;

/// <summary>
/// A test actor: a tanh MLP whose action at tick t reads the input of tick t − <c>delay</c> (delay 0 or 1), the
/// first tick reading its own input (the instant-forward start). It checks the trainer without the pipeline.
/// </summary>
internal sealed class DelayedMlpActor : IActorNetwork
{
    private readonly Mlp _mlp;
    private readonly int _delay;
    private float[] _previous = [];

    public DelayedMlpActor(int inputs, int outputs, int delay, ulong seed, int historyLength = 0)
    {
        var rng = new SeededRandom(seed);
        _mlp = new Mlp("actor", [inputs, 64, 64, outputs], Activation.Tanh, rng);
        Initializers.Orthogonal(_mlp.Layers[^1].Weight.Value, rng, 0.01);
        _delay = delay;
        InputSize = inputs;
        OutputSize = outputs;
        HistoryLength = historyLength;
    }

    public IReadOnlyList<Parameter> Parameters => _mlp.Parameters;

    public int InputSize { get; }

    public int OutputSize { get; }

    public int HistoryLength { get; }

    public int MinimumDelay => _delay;

    public int ReceptiveWindow => _delay;

    public void Begin(ReadOnlySpan<float> inputs, int numEnvs, WorkerPool? workers = null) => _previous = inputs.ToArray();

    public void Step(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        _mlp.Infer(_delay == 0 ? inputs : _previous, outputs, inputs.Length / InputSize);
        inputs.CopyTo(_previous);
    }

    public Var Unroll(Tape tape, ReadOnlySpan<float> inputs, int ticks, int envs, int fromTick = 0)
    {
        // Tick-major rows (tick, env) as the inputs; tick t reads tick t − delay (tick 0 itself).
        var x = Tensor.Zeros((ticks - fromTick) * envs, InputSize);
        for (var t = fromTick; t < ticks; t++)
        {
            var source = Math.Max(0, t - _delay);
            inputs.Slice(source * envs * InputSize, envs * InputSize).CopyTo(x.Span.Slice((t - fromTick) * envs * InputSize, envs * InputSize));
        }

        return _mlp.Forward(tape, tape.Input(x));
    }
}
