using System.Runtime.InteropServices;

namespace PipeRL.Tensors;

/// <summary>
/// A small pool of persistent worker threads that spin briefly (pause instructions, <see cref="SpinPause"/>) and then
/// block, for splitting one kernel (a matrix product) or one tick over a few threads without per-call allocation or
/// <c>Parallel.For</c>.
/// </summary>
/// <remarks>
/// <para><c>new WorkerPool(2)</c> starts one background thread; <see cref="Run(IParallelWork, int)"/> hands out the chunks of an
/// <see cref="IParallelWork"/> to the caller and the workers and returns when all are done. Chunks are claimed
/// dynamically, so when a worker is descheduled (a loaded machine) the caller simply runs more chunks itself instead of
/// waiting. <see cref="RunPinned"/> gives chunk t to thread t (the caller is thread 0), so work that runs every tick
/// finds its data in the same core's cache; the caller, its own chunk done, runs the chunks no worker has started. One
/// caller at a time. <see cref="BeginPinned"/> hands out a pinned run's chunks from 1 on and returns at once, so that
/// up to two runs stay open while the caller goes on (<see cref="EndPinned(long)"/> waits for them).
/// <c>new WorkerPool(1)</c> runs everything on the caller.</para>
/// <para>A pinned run moves as few cache lines between cores as it can: each worker claims and completes its chunk in
/// a slot of its own cache line, which the caller only reads while the worker runs. On the 2-vCPU Zen 5 host a line
/// took 0.4-0.7 µs from one core to the other (a ping-pong between two threads: 0.76-1.5 µs per round trip), so every
/// line that the two threads write in turn costs a batch-1 tick of 5-10 µs several percent.</para>
/// </remarks>
public sealed class WorkerPool : IDisposable
{
    // A pinned chunk's slot holds generation * 4 + its phase; any value below generation * 4 is an unclaimed chunk, so the
    // caller posts a run without writing the slots (their lines stay in the workers' caches).
    private const long Claimed = 1;
    private const long Done = 2;

    // The state's low 32 bits count a shared run's claimed chunks (below 2^31) or hold this mark for a pinned run, so a
    // worker learns a run's generation and kind in one read: a worker that read a shared run's generation and then a flag
    // written for the next, pinned run claimed its chunk under the old generation and ran the new run's chunk twice.
    private const long PinnedRun = 1L << 31;

    // Beside PinnedRun: the run before is an open pinned run too (BeginPinned), whose chunks the workers run first.
    private const long PreviousOpen = 1L << 30;

    private readonly Thread[] _threads;
    private readonly PaddedLong[] _slots;
    private readonly object _gate = new();

    // Made with the pool, not where the join uses it: a lambda's delegate is created the first time its line runs, and the
    // join runs this one only after a worker claimed its chunk, which on a busy machine can first happen in a warm loop.
    // At or past the value: the worker may have gone on to a newer open run's chunk, which it starts only after this one.
    private readonly Func<(WorkerPool Pool, int Slot, long Value), bool> _slotDone =
        static d => Volatile.Read(ref d.Pool._slots[d.Slot].Value) >= d.Value;

    // A pinned run's work, by the parity of its generation (at most two are open).
    private readonly IParallelWork?[] _pinnedWork = new IParallelWork?[2];
    private IParallelWork? _work;
    private int _chunkCount;
    private long _state;
    private int _completed;
    private int _sleepers;
    private long _stolen;
    private long _lateTicks;
    private OpenRuns _open;
    private volatile bool _disposed;

    /// <summary>Creates a pool of <paramref name="threadCount"/> threads in all (the caller plus threadCount-1 workers).</summary>
    public WorkerPool(int threadCount)
    {
        if (threadCount < 1 || threadCount > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(threadCount), $"A worker pool needs 1 to 256 threads, got {threadCount}.");
        }

        ThreadCount = threadCount;
        _slots = new PaddedLong[threadCount];
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

    /// <summary>
    /// <see cref="System.Diagnostics.Stopwatch"/> ticks that the caller waited, in all, in the runs whose other threads
    /// finished late, past the spin of <see cref="SpinPause.JoinSpinTicks"/> (most likely descheduled mid-chunk on a
    /// machine with more busy threads than cores), since creation.
    /// </summary>
    public long LateJoinTicks => Volatile.Read(ref _lateTicks);

    /// <summary>Runs <paramref name="work"/> as <see cref="ThreadCount"/> chunks and waits for all of them.</summary>
    public void Run(IParallelWork work) => Run(work, ThreadCount);

    /// <summary>Runs <paramref name="work"/> as <paramref name="chunkCount"/> chunks and waits for all of them.</summary>
    public void Run(IParallelWork work, int chunkCount) => Run(work, chunkCount, pinned: false);

    /// <summary>
    /// Runs <paramref name="work"/> as <see cref="ThreadCount"/> chunks, chunk t on thread t (the caller runs chunk 0), and
    /// waits for all of them; the caller, its own chunk done, runs any chunk whose thread has not started it.
    /// </summary>
    public void RunPinned(IParallelWork work) => Run(work, ThreadCount, pinned: true);

    /// <summary>
    /// Starts a pinned run of <paramref name="work"/> on the workers, chunk t on thread t for t from 1, and returns its
    /// generation at once: the caller computes chunk 0 (or whatever it likes) itself and later waits for the rest with
    /// <see cref="EndPinned(long)"/>. Up to two begun runs stay open: a third waits for the oldest first. Each thread runs its
    /// chunks of open runs in the order they began, so a run may read what the one before it wrote on the same thread. Any
    /// other run of the pool waits for every open run first. Chunk 0 is never executed by the pool. Returns 0 (nothing to
    /// wait for) on a one-thread pool.
    /// </summary>
    /// <remarks>
    /// For ticks whose workers lag the caller by a tick (<c>PipelineExecutor</c>'s overlapped ticks): a run begun in one
    /// tick is waited for in the next, so a worker that starts late has a whole tick of the caller's to catch up.
    /// </remarks>
    public long BeginPinned(IParallelWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ThreadCount == 1)
        {
            return 0;
        }

        EndPinned(_open.Newest - 1);
        var generation = Post(work, ThreadCount, pinned: true);
        _open.Oldest = _open.Oldest == 0 ? generation : _open.Oldest;
        _open.Newest = generation;
        return generation;
    }

    /// <summary>
    /// Waits for the open runs of <see cref="BeginPinned"/> up to <paramref name="generation"/>, oldest first, running each
    /// chunk that its thread has not started; nothing for runs already waited for.
    /// </summary>
    public void EndPinned(long generation)
    {
        while (_open.Oldest != 0 && _open.Oldest <= generation)
        {
            JoinPinned(_open.Oldest, ThreadCount);
            (_open.Oldest, _open.Newest) = _open.Oldest == _open.Newest ? (0, 0) : (_open.Oldest + 1, _open.Newest);
        }
    }

    /// <summary>Waits for every open run of <see cref="BeginPinned"/>.</summary>
    public void EndPinned() => EndPinned(long.MaxValue);

    private void Run(IParallelWork work, int chunkCount, bool pinned)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkCount);
        ObjectDisposedException.ThrowIf(_disposed, this);
        EndPinned();
        if (ThreadCount == 1 || chunkCount == 1)
        {
            for (int c = 0; c < chunkCount; c++)
            {
                work.Execute(c, chunkCount);
            }

            return;
        }

        long generation = Post(work, chunkCount, pinned);
        if (pinned)
        {
            work.Execute(0, chunkCount);
            JoinPinned(generation, chunkCount);
            return;
        }

        RunChunks(generation, 0);

        // Pauses first: SpinWait's growing spins and yields notice the last chunk up to a microsecond late, a tenth of a
        // batch-1 conv share.
        AddLate(SpinPause.Join(static pool => Volatile.Read(ref pool._completed) >= pool._chunkCount, this));

        _work = null;
    }

    /// <summary>Waits for an open run (<see cref="EndPinned()"/>) and stops the worker threads.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        EndPinned();

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

    /// <summary>Publishes <paramref name="work"/> as the next run's and wakes the workers; returns the run's generation.</summary>
    private long Post(IParallelWork work, int chunkCount, bool pinned)
    {
        long generation = (Volatile.Read(ref _state) >> 32) + 1;
        var kind = 0L;
        if (pinned)
        {
            // The entry of the run two before, which has been waited for (at most two are open); written only when it
            // changes, as the workers read its line every run.
            if (!ReferenceEquals(_pinnedWork[generation & 1], work))
            {
                _pinnedWork[generation & 1] = work;
            }

            kind = PinnedRun | (_open.Newest == generation - 1 ? PreviousOpen : 0);
        }
        else
        {
            _work = work;
            _chunkCount = chunkCount;
            Volatile.Write(ref _completed, 0);
        }

        // A full fence: the workers that see the new generation see the work above.
        Interlocked.Exchange(ref _state, (generation << 32) | kind);
        if (Volatile.Read(ref _sleepers) > 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }

        return generation;
    }

    /// <summary>Claims and runs chunks of <paramref name="generation"/> until none is left; <paramref name="self"/> is the thread's index.</summary>
    private void RunChunks(long generation, int self)
    {
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

    /// <summary>Runs chunk <paramref name="self"/> of pinned run <paramref name="generation"/> unless another thread took it.</summary>
    private void RunPinnedChunk(long generation, int self)
    {
        // A chunk of the run before that the caller took for this thread ends first: this one may read what it writes.
        ref long slot = ref _slots[self].Value;
        while ((Volatile.Read(ref slot) & 3) == Claimed)
        {
            SpinPause.Once();
        }

        if (TryClaim(ref slot, generation))
        {
            // The claim succeeded, so the run is still open and its entry is its own.
            _pinnedWork[generation & 1]!.Execute(self, ThreadCount);
            Volatile.Write(ref slot, (generation * 4) + Done);
        }
    }

    /// <summary>
    /// Claims a pinned chunk of <paramref name="generation"/> whose slot still holds an earlier generation's value. The read
    /// finds the line in this core's cache most runs (its worker wrote it last, the caller only read it), and slot values
    /// only grow, so the exchange fails exactly when another thread claimed the chunk first.
    /// </summary>
    private static bool TryClaim(ref long slot, long generation)
    {
        long seen = Volatile.Read(ref slot);
        return seen < generation * 4 && Interlocked.CompareExchange(ref slot, (generation * 4) + Claimed, seen) == seen;
    }

    /// <summary>
    /// Waits for the workers' chunks of pinned run <paramref name="generation"/>, running each one that its thread has not
    /// claimed yet (asleep or descheduled): the caller only reads a claimed chunk's slot until it is done.
    /// </summary>
    private void JoinPinned(long generation, int chunkCount)
    {
        for (int t = 1; t < chunkCount; t++)
        {
            if (TryClaim(ref _slots[t].Value, generation))
            {
                Volatile.Write(ref _stolen, _stolen + 1);
                _pinnedWork[generation & 1]!.Execute(t, chunkCount);
                Volatile.Write(ref _slots[t].Value, (generation * 4) + Done);
                continue;
            }

            AddLate(SpinPause.Join(_slotDone, (Pool: this, Slot: t, Value: (generation * 4) + Done)));
        }
    }

    /// <summary>Adds a join's late wait (written only when there is one: the workers read this object's line).</summary>
    private void AddLate(long ticks)
    {
        if (ticks > 0)
        {
            Volatile.Write(ref _lateTicks, _lateTicks + ticks);
        }
    }

    private void WorkerLoop(int self)
    {
        long seen = 0;
        while (true)
        {
            var waiting = (Pool: this, Seen: seen);
            SpinPause.Until(static w => Volatile.Read(ref w.Pool._state) >> 32 != w.Seen, waiting, SpinPause.IdleSpinTicks);
            long state = Volatile.Read(ref _state);
            if (state >> 32 == seen)
            {
                lock (_gate)
                {
                    // A full fence between announcing sleep and re-reading the generation (pairs with Run's exchange).
                    Interlocked.Increment(ref _sleepers);
                    while ((state = Volatile.Read(ref _state)) >> 32 == seen && !_disposed)
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

            long generation = state >> 32;
            bool previousFirst = (state & PreviousOpen) != 0 && seen < generation - 1;
            seen = generation;
            if ((state & PinnedRun) != 0)
            {
                // The run before may still be open (BeginPinned keeps two), and its chunk comes first; older runs are done.
                if (previousFirst)
                {
                    RunPinnedChunk(generation - 1, self);
                }

                RunPinnedChunk(generation, self);
            }
            else
            {
                RunChunks(generation, self);
            }
        }
    }

    /// <summary>The oldest and newest open runs of <see cref="BeginPinned"/> (0: none), the caller's own, on a line no worker reads.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct OpenRuns
    {
        [FieldOffset(64)]
        public long Oldest;

        [FieldOffset(72)]
        public long Newest;
    }

    /// <summary>A long alone on its cache line (and the line before it empty, against adjacent-line prefetch).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedLong
    {
        [FieldOffset(64)]
        public long Value;
    }
}
