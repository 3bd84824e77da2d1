using PipeRL.Tensors;
using PipeRL.Tensors.Optim;

namespace PipeRL.Bench.Engine;

/// <summary>One supervised step of a network: forward on a tape, MSE loss, backward, Adam; buffers reused across steps.</summary>
internal sealed class TrainingStep : IDisposable
{
    private readonly Func<Tape, Var, Var> _forward;
    private readonly Tape _tape = new();
    private readonly Adam _adam;
    private readonly Tensor _input;
    private readonly Tensor _target;
    private readonly WorkerPool? _workers;

    public TrainingStep(IModule model, Func<Tape, Var, Var> forward, Shape input, Shape target, int threads, SeededRandom rng)
    {
        _forward = forward;
        _adam = new Adam(model.Parameters, lr: 1e-4f);
        _input = Tensor.Zeros(input);
        _target = Tensor.Zeros(target);
        rng.FillUniform(_input.Span, 0, 1);
        rng.FillUniform(_target.Span, -1, 1);
        _workers = threads > 1 ? new WorkerPool(threads) : null;
        _tape.Workers = _workers;
    }

    public float LastLoss { get; private set; }

    public void Run()
    {
        _tape.Reset();
        var prediction = _forward(_tape, _tape.Input(_input));
        var loss = _tape.MseLoss(prediction, _tape.Input(_target));
        _adam.ZeroGrad();
        _tape.Backward(loss);
        _adam.Step();
        LastLoss = loss.Value[0];
    }

    public void Dispose()
    {
        _tape.Dispose();
        _workers?.Dispose();
    }
}
