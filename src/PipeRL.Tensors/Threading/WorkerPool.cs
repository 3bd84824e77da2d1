namespace PipeRL.Tensors;

/// <summary>
/// A small pool of persistent worker threads that spin briefly (pause instructions, <see cref="SpinPause"/>) and then block, for splitting one kernel (a matrix
/// product) over a few threads without per-call allocation or <c>Parallel.For</c>.
/// </summary>
/// <remarks>
/// <para><c>new WorkerPool(2)</c> starts one background thread; <see cref="Run(IParallelWork, int)"/> hands out the chunks of an
/// <see cref="IParallelWork"/> to the caller and the workers and returns when all are done. Chunks are claimed
/// dynamically, so when a worker is descheduled (a loaded machine) the caller simply runs more chunks itself instead of
/// waiting. <see cref="RunPinned"/> gives chunk t to thread t (the caller is thread 0), so work that runs every tick
/// finds its data in the same core's cache; a thread that finishes steals the chunks nobody has started. One caller at a
/// time. <c>new WorkerPool(1)</c> runs everything on the caller.</para>
/// </remarks>
public sealed class WorkerPool : IDisposable
{
    /// <summary>The most threads a pinned run's claim mask (the state's low 32 bits) holds.</summary>
    private const int MaxPinned = 32;

    private readonly Thread[] _threads;
    private readonly object _gate = new();
    private IParallelWork? _work;
    private int _chunkCount;
    private long _state;
    private int _completed;
    private int _sleepers;
    private long _stolen;
    private bool _pinned;
    private volatile bool _disposed;

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
            var self = i + 1;
            _threads[i] = new Thread(() => WorkerLoop(self)) { IsBackground = true, Name = $"PipeRL worker {self}" };
            _threads[i].Start();
        }
    }

    /// <summary>Number of threads that run chunks, the caller included.</summary>
    public int ThreadCount { get; }

    /// <summary>
    /// Chunks of pinned runs that another thread ran because their own was late (asleep or descheduled), since creation;
    /// a pinned run that leaves it unchanged had every thread on time.
    /// </summary>
    public long StolenChunks => Volatile.Read(ref _stolen);

    /// <summary>Runs <paramref name="work"/> as <see cref="ThreadCount"/> chunks and waits for all of them.</summary>
    public void Run(IParallelWork work) => Run(work, ThreadCount);

    /// <summary>Runs <paramref name="work"/> as <paramref name="chunkCount"/> chunks and waits for all of them.</summary>
    public void Run(IParallelWork work, int chunkCount) => Run(work, chunkCount, pinned: false);

    /// <summary>
    /// Runs <paramref name="work"/> as <see cref="ThreadCount"/> chunks, chunk t first offered to thread t (the caller runs
    /// chunk 0), and waits for all of them; a thread with its own chunk done takes any chunk not yet started. Pools of more
    /// than 32 threads hand the chunks out as <see cref="Run(IParallelWork)"/> does.
    /// </summary>
    public void RunPinned(IParallelWork work) => Run(work, ThreadCount, pinned: ThreadCount <= MaxPinned);

    private void Run(IParallelWork work, int chunkCount, bool pinned)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkCount);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ThreadCount == 1 || chunkCount == 1)
        {
            for (int c = 0; c < chunkCount; c++)
            {
                work.Execute(c, chunkCount);
            }

            return;
        }

        _work = work;
        _chunkCount = chunkCount;
        _pinned = pinned;
        Volatile.Write(ref _completed, 0);
        long generation = (Volatile.Read(ref _state) >> 32) + 1;
        Interlocked.Exchange(ref _state, generation << 32);
        if (Volatile.Read(ref _sleepers) > 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }

        RunChunks(generation, 0);

        // Pauses first: SpinWait's growing spins and yields notice the last chunk up to a microsecond late, a tenth of a
        // batch-1 conv share. Past the deadline it backs off, so a descheduled worker can have this core.
        SpinPause.Until(static pool => Volatile.Read(ref pool._completed) >= pool._chunkCount, this, SpinPause.JoinSpinTicks);
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _completed) < chunkCount)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
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

        lock (_gate)
        {
            _disposed = true;
            Interlocked.Add(ref _state, 1L << 32);
            Monitor.PulseAll(_gate);
        }

        foreach (var thread in _threads)
        {
            thread.Join();
        }
    }

    /// <summary>Claims and runs chunks of <paramref name="generation"/> until none is left; <paramref name="self"/> is the thread's index.</summary>
    private void RunChunks(long generation, int self)
    {
        if (_pinned)
        {
            RunPinnedChunks(generation, self);
            return;
        }

        while (true)
        {
            long state = Volatile.Read(ref _state);
            if ((state >> 32) != generation)
            {
                return;
            }

            int next = (int)(state & 0xFFFFFFFF);
            int count = _chunkCount;
            if (next >= count)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _state, state + 1, state) != state)
            {
                continue;
            }

            // The claim succeeded, so the caller is still waiting for this generation and _work is its work.
            _work!.Execute(next, count);
            Interlocked.Increment(ref _completed);
        }
    }

    /// <summary>
    /// Claims and runs chunks of a pinned run (the low 32 bits of the state are a mask of claimed chunks): first chunk
    /// <paramref name="self"/>, then the following ones; chunk 0 is the caller's alone, which is running anyway.
    /// </summary>
    private void RunPinnedChunks(long generation, int self)
    {
        int count = _chunkCount;
        for (int i = 0; i < count; i++)
        {
            int chunk = (self + i) % count;
            if (chunk == 0 && self != 0)
            {
                continue;
            }

            long bit = 1L << chunk;
            while (true)
            {
                long state = Volatile.Read(ref _state);
                if ((state >> 32) != generation)
                {
                    return;
                }

                if ((state & bit) != 0)
                {
                    break;
                }

                if (Interlocked.CompareExchange(ref _state, state | bit, state) == state)
                {
                    if (chunk != self)
                    {
                        Interlocked.Increment(ref _stolen);
                    }

                    _work!.Execute(chunk, count);
                    Interlocked.Increment(ref _completed);
                    break;
                }
            }
        }
    }

    private void WorkerLoop(int self)
    {
        long seen = 0;
        while (true)
        {
            var waiting = (Pool: this, Seen: seen);
            SpinPause.Until(static w => Volatile.Read(ref w.Pool._state) >> 32 != w.Seen, waiting, SpinPause.IdleSpinTicks);
            long generation = Volatile.Read(ref _state) >> 32;
            if (generation == seen)
            {
                lock (_gate)
                {
                    // A full fence between announcing sleep and re-reading the generation (pairs with Run's exchange).
                    Interlocked.Increment(ref _sleepers);
                    while ((generation = Volatile.Read(ref _state) >> 32) == seen && !_disposed)
                    {
                        Monitor.Wait(_gate);
                    }

                    Interlocked.Decrement(ref _sleepers);
                }
            }

            if (_disposed)
            {
                return;
            }

            seen = generation;
            RunChunks(generation, self);
        }
    }
}
