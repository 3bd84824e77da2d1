using PipeRL.Agents.Networks;
using PipeRL.Tensors;

namespace PipeRL.Agents.Tests.Support;

/// <summary>An instant test actor whose output ignores its input (constant logits), recording every input it is given.</summary>
internal sealed class RecordingActor(int inputs, int outputs) : IActorNetwork
{
    private float[] _outputs = [];

    public List<float[]> Inputs { get; } = [];

    public IReadOnlyList<Parameter> Parameters => [];

    public int InputSize => inputs;

    public int OutputSize => outputs;

    public int HistoryLength => 0;

    public int MinimumDelay => 0;

    public int ActionPeriod => 1;

    public int? ReceptiveWindow => 0;

    public bool ActsBeforeInput => false;

    public bool DecidesNextTick => true;

    public ReadOnlySpan<float> ActingOutput => _outputs;

    public void Begin(ReadOnlySpan<float> inputs, int numEnvs, WorkerPool? workers = null)
    {
        _outputs = new float[numEnvs * outputs];
        Inputs.Add(inputs.ToArray());
    }

    public void Tick(ReadOnlySpan<float> inputs) => Inputs.Add(inputs.ToArray());

    public void EndEpisode(int env)
    {
    }

    public ActorSnapshot Snapshot(ActorSnapshot? reuse = null) => reuse ?? new ActorSnapshot();

    public void WriteActingState(BinaryWriter writer) => throw new NotSupportedException("A recording actor only acts.");

    public void ResumeActing(BinaryReader reader, int numEnvs, WorkerPool? workers = null) => throw new NotSupportedException("A recording actor only acts.");

    public Var Replay(Tape tape, ReadOnlySpan<float> inputs, int ticks, ReadOnlySpan<int> envs, ActorSnapshot? start, ReadOnlySpan<bool> episodeStarts, int fromTick = 0) =>
        throw new NotSupportedException("A recording actor only acts.");
}
