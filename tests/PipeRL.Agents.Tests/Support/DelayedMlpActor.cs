using PipeRL.Agents.Networks;
using PipeRL.Envs;
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
    private float[] _outputs = [];

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

    public int ActionPeriod => 1;

    public int? ReceptiveWindow => _delay;

    public bool ActsBeforeInput => _delay > 0;

    public bool DecidesNextTick => true;

    public ReadOnlySpan<float> ActingOutput => _outputs;

    public void Begin(ReadOnlySpan<float> inputs, int numEnvs, WorkerPool? workers = null)
    {
        _previous = inputs.ToArray();
        _outputs = new float[numEnvs * OutputSize];
        if (_delay > 0)
        {
            _mlp.Infer(_previous, _outputs, numEnvs);
        }
    }

    public void Tick(ReadOnlySpan<float> inputs)
    {
        // Delay 1: the value computed now acts during the next tick.
        _mlp.Infer(inputs, _outputs, inputs.Length / InputSize);
        inputs.CopyTo(_previous);
    }

    public void EndEpisode(int env)
    {
    }

    public ActorSnapshot Snapshot(ActorSnapshot? reuse = null)
    {
        var snapshot = reuse ?? new ActorSnapshot();
        snapshot.Source = (float[])_previous.Clone();
        return snapshot;
    }

    public void WriteActingState(BinaryWriter writer)
    {
        writer.WriteArray(_previous);
        writer.WriteArray(_outputs);
    }

    public void ResumeActing(BinaryReader reader, int numEnvs, WorkerPool? workers = null)
    {
        (_previous, _outputs) = (new float[numEnvs * InputSize], new float[numEnvs * OutputSize]);
        reader.ReadArray(_previous);
        reader.ReadArray(_outputs);
    }

    public Var Replay(Tape tape, ReadOnlySpan<float> inputs, int ticks, ReadOnlySpan<int> envs, ActorSnapshot? start, ReadOnlySpan<bool> episodeStarts, int fromTick = 0)
    {
        // Tick-major rows (tick, env) as the inputs; tick t reads tick t − delay (tick −1 from the snapshot, or tick 0 itself).
        var b = envs.Length;
        var x = Tensor.Zeros((ticks - fromTick) * b, InputSize);
        for (var t = fromTick; t < ticks; t++)
        {
            for (var j = 0; j < b; j++)
            {
                var source = t - _delay;
                ReadOnlySpan<float> row = source >= 0
                    ? inputs.Slice(((source * b) + j) * InputSize, InputSize)
                    : start is null ? inputs.Slice(j * InputSize, InputSize) : start.Source.AsSpan(envs[j] * InputSize, InputSize);
                row.CopyTo(x.Span.Slice((((t - fromTick) * b) + j) * InputSize, InputSize));
            }
        }

        return _mlp.Forward(tape, tape.Input(x));
    }
}
