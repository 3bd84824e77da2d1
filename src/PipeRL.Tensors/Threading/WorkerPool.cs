namespace PipeRL.Tensors;

/// <summary>
/// A small pool of persistent worker threads that spin briefly and then block, for splitting one kernel (a matrix
/// product) over a few threads without per-call allocation or <c>Parallel.For</c>. The calling thread runs part 0.
/// </summary>
/// <remarks>
/// <c>new WorkerPool(2)</c> starts one background thread; <see cref="Run"/> executes <see cref="IParallelWork.Execute"/>
/// for parts 0..<see cref="ThreadCount"/>-1 and returns when all have finished. One caller at a time.
/// <c>new WorkerPool(1)</c> runs everything on the caller.
/// </remarks>
public sealed class WorkerPool : IDisposable
{
    private const int SpinIterations = 2000;

    private readonly Thread[] _threads;
    private readonly object _startGate = new();
    private readonly object _doneGate = new();
    private IParallelWork? _work;
    private long _generation;
    private int _pending;
    private bool _disposed;

    /// <summary>Creates a pool of <paramref name="threadCount"/> threads in all (the caller plus threadCount-1 workers).</summary>
    public WorkerPool(int threadCount)
    {
        if (threadCount < 1 || threadCount > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(threadCount), $"A worker pool needs 1 to 256 threads, got {threadCount}.");
        }

        ThreadCount = threadCount;
        _threads = new Thread[threadCount - 1];
        for (int i = 0; i < _threads.Length; i++)
        {
            int part = i + 1;
            _threads[i] = new Thread(() => WorkerLoop(part)) { IsBackground = true, Name = $"PipeRL worker {part}" };
            _threads[i].Start();
        }
    }

    /// <summary>Number of threads that run parts, the caller included.</summary>
    public int ThreadCount { get; }

    /// <summary>Runs every part of <paramref name="work"/> (one per thread) and waits for all of them.</summary>
    public void Run(IParallelWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ThreadCount == 1)
        {
            work.Execute(0, 1);
            return;
        }

        _work = work;
        Volatile.Write(ref _pending, ThreadCount - 1);
        lock (_startGate)
        {
            _generation++;
            Monitor.PulseAll(_startGate);
        }

        work.Execute(0, ThreadCount);
        for (int spin = 0; spin < SpinIterations && Volatile.Read(ref _pending) > 0; spin++)
        {
            Thread.SpinWait(8);
        }

        if (Volatile.Read(ref _pending) > 0)
        {
            lock (_doneGate)
            {
                while (Volatile.Read(ref _pending) > 0)
                {
                    Monitor.Wait(_doneGate);
                }
            }
        }

        _work = null;
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        lock (_startGate)
        {
            _disposed = true;
            _generation++;
            Monitor.PulseAll(_startGate);
        }

        foreach (var thread in _threads)
        {
            thread.Join();
        }
    }

    private void WorkerLoop(int part)
    {
        long seen = 0;
        while (true)
        {
            for (int spin = 0; spin < SpinIterations && Interlocked.Read(ref _generation) == seen; spin++)
            {
                Thread.SpinWait(8);
            }

            lock (_startGate)
            {
                while (_generation == seen)
                {
                    Monitor.Wait(_startGate);
                }

                seen = _generation;
                if (_disposed)
                {
                    return;
                }
            }

            _work!.Execute(part, ThreadCount);
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                lock (_doneGate)
                {
                    Monitor.PulseAll(_doneGate);
                }
            }
        }
    }
}
