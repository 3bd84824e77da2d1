using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using PipeRL.Tensors;

namespace PipeRL.Envs.Threading;

/// <summary>
/// The calling thread plus persistent background workers that share an index range in small blocks: each thread owns a
/// contiguous share of the blocks (the caller the first) and claims its own first, then the others' that are still
/// unclaimed. So an index is stepped by the same thread run after run, its data staying in that core's cache, while a
/// worker the OS has not scheduled yet just claims less, and a busy machine slows a run instead of stalling it. Workers
/// spin briefly and then sleep between runs; a run allocates nothing. A run too short to gain from a split (a MinAtar
/// step of 64 envs, 8 µs) runs on the caller alone: a <see cref="SplitProbe"/> times blocks of split and one-thread runs
/// every quarter of a second and keeps the faster way, so more threads are never much slower than one, whatever the step
/// costs and however busy the machine is.
/// </summary>
/// <remarks>
/// <para>Owned shares, not one shared counter: with blocks claimed from a counter in turn, a sub-env went to whichever
/// thread came first, and its simulation state (tens of KB of <c>mjData</c> for a MuJoCo task) had to cross from the other
/// core's cache. In a scratch program on the 2-vCPU Zen 5 host, 32 HalfCheetah envs stepped 1.88-1.95× faster on two
/// threads than on one with a fixed half each, 1.73-1.88× with one shared counter (three runs each).</para>
/// <para><see cref="SplitProbe"/> is the tensor engine's, compiled into this assembly from its one source file (see the project
/// file), so that envs and the engine keep not knowing each other and share one probe.</para>
/// </remarks>
internal sealed class WorkerGroup : IDisposable
{
    private const int BlocksPerThread = 8;

    // The next-block value that closes a run while the caller rewrites the run's fields.
    private const int Closed = int.MaxValue;

    private readonly Thread[] _threads;
    private readonly SemaphoreSlim _wake = new(0);

    // Periods of a quarter of a second, however many runs: a probe of short runs takes 2 ms.
    private readonly SplitProbe _probe = new(period: int.MaxValue);

    // Thread t's share of the run: its generation and next unclaimed block, and the block after its last.
    private readonly Share[] _shares;
    private long _generation;
    private int _sleepers;
    private int _completed;
    private int _blocks;
    private int _blockSize;
    private int _count;
    private IRangeWork? _work;
    private Exception? _failure;
    private volatile bool _stopping;

    /// <summary>Creates a group of <paramref name="threads"/> threads in all: the caller and threads-1 workers.</summary>
    public WorkerGroup(int threads, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _threads = new Thread[threads - 1];
        _shares = new Share[threads];
        for (var i = 0; i < _threads.Length; i++)
        {
            var self = i + 1;
            _threads[i] = new Thread(() => WorkerLoop(self)) { IsBackground = true, Name = $"{name} worker {self}" };
            _threads[i].Start();
        }
    }

    /// <summary>Threads that share a run, the caller included.</summary>
    public int Threads => _threads.Length + 1;

    /// <summary>Whether runs are split over the threads (rather than kept on the caller) since the last choice.</summary>
    public bool Splits => _probe.Splits;

    /// <summary>Runs <paramref name="work"/> over [0, <paramref name="count"/>) and returns when every index is done.</summary>
    public void Run(IRangeWork work, int count)
    {
        if (_threads.Length == 0 || count <= 1)
        {
            work.Execute(0, count);
            return;
        }

        var split = _probe.Next(out var timed);
        var start = timed ? Stopwatch.GetTimestamp() : 0;
        long lateTicks = 0;
        var workersOnTime = !split || RunSplit(work, count, out lateTicks);
        if (!split)
        {
            work.Execute(0, count);
        }

        _probe.Record(timed ? Stopwatch.GetTimestamp() - start : 0, workersOnTime, lateTicks);
    }

    /// <summary>
    /// Runs <paramref name="work"/> split; returns whether a worker took part (false: the caller did every block), and in
    /// <paramref name="lateTicks"/> how long the caller waited for a worker that finished late (0: it was on time).
    /// </summary>
    private bool RunSplit(IRangeWork work, int count, out long lateTicks)
    {
        // Close claims under a new generation (a stale claim's CAS then fails), set the run up, then open each share.
        var generation = ++_generation << 32;
        for (var t = 0; t < _shares.Length; t++)
        {
            Volatile.Write(ref _shares[t].State, generation | Closed);
        }

        _work = work;
        _count = count;
        _blockSize = Math.Max(1, count / (Threads * BlocksPerThread));
        _blocks = (count + _blockSize - 1) / _blockSize;
        _completed = 0;
        _failure = null;
        for (var t = _shares.Length - 1; t >= 0; t--)
        {
            _shares[t].End = (int)((long)_blocks * (t + 1) / _shares.Length);
            Volatile.Write(ref _shares[t].State, generation | (uint)(_blocks * t / _shares.Length));
        }

        var sleepers = Interlocked.Exchange(ref _sleepers, 0);
        if (sleepers > 0)
        {
            _wake.Release(sleepers);
        }

        var ownBlocks = ClaimBlocks(0);

        // Pauses first: SpinWait's growing spins and yields notice the other thread's last block microseconds late, a
        // tenth of a HalfCheetah step. Past the deadline it backs off, so a descheduled worker can have this core.
        lateTicks = SpinPause.Join(static group => Volatile.Read(ref group._completed) >= Volatile.Read(ref group._blocks), this);

        _work = null;
        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }

        return ownBlocks < _blocks;
    }

    /// <summary>Stops the workers.</summary>
    public void Dispose()
    {
        _stopping = true;
        if (_threads.Length > 0)
        {
            _wake.Release(_threads.Length);
        }

        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _wake.Dispose();
    }

    /// <summary>Claims and runs blocks of thread <paramref name="self"/>'s share, then of the others' shares, until none is left; returns how many it ran.</summary>
    private int ClaimBlocks(int self)
    {
        var claimed = 0;
        for (var i = 0; i < _shares.Length; i++)
        {
            while (TryClaim((self + i) % _shares.Length, out var block))
            {
                claimed++;

                try
                {
                    var start = block * _blockSize;
                    _work!.Execute(start, Math.Min(start + _blockSize, _count));
                }
                catch (Exception ex)
                {
                    // Rethrown on the caller's thread by Run once every block is done.
                    Interlocked.CompareExchange(ref _failure, ex, null);
                }

                Interlocked.Increment(ref _completed);
            }
        }

        return claimed;
    }

    /// <summary>Claims the next unclaimed block of share <paramref name="share"/>; false when it has none left.</summary>
    private bool TryClaim(int share, out int block)
    {
        while (true)
        {
            var state = Volatile.Read(ref _shares[share].State);
            block = (int)state;

            // The CAS succeeds only while the state is unchanged since the read, so End belonged to this run, and the
            // run stays live (its fields untouched) until this claimed block completes.
            if (block >= Volatile.Read(ref _shares[share].End))
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _shares[share].State, state + 1, state) == state)
            {
                return true;
            }
        }
    }

    private void WorkerLoop(int self)
    {
        while (!_stopping)
        {
            if (HasWork())
            {
                ClaimBlocks(self);
                continue;
            }

            if (SpinForWork())
            {
                continue;
            }

            Interlocked.Increment(ref _sleepers);

            // Re-check after announcing the sleep, so a run published in between is not missed.
            if (!HasWork() && !_stopping)
            {
                _wake.Wait();
            }
        }
    }

    private bool HasWork()
    {
        foreach (ref var share in _shares.AsSpan())
        {
            if ((int)Volatile.Read(ref share.State) < Volatile.Read(ref share.End))
            {
                return true;
            }
        }

        return false;
    }

    private bool SpinForWork() => SpinPause.Until(static group => group.HasWork() || group._stopping, this, SpinPause.IdleSpinTicks);

    // A share's claim state and end on a cache line of their own, so that claims in one share do not slow another's.
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Share
    {
        [FieldOffset(64)]
        public long State;

        [FieldOffset(72)]
        public int End;
    }
}
