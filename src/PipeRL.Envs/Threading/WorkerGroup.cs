using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace PipeRL.Envs.Threading;

/// <summary>
/// The calling thread plus persistent background workers that share an index range, claimed in small blocks from
/// a shared counter: a worker the OS has not scheduled yet just claims less, so a busy machine slows a run instead
/// of stalling it. Workers spin briefly and then sleep between runs; a run allocates nothing. A run too short to gain
/// from a split (a few MinAtar steps) runs on the caller alone: every period (4096 runs or a quarter of a second) starts
/// with an untimed split run that wakes the workers, then times a block of split runs and a block of one-thread runs, and
/// keeps the faster way until the next period, so more threads are never much slower than one, whatever the step costs
/// and however busy the machine is.
/// </summary>
internal sealed class WorkerGroup : IDisposable
{
    private const int BlocksPerThread = 8;
    private const int SpinIterations = 200;

    /// <summary>Timed runs of each way (split, one thread) at the start of a period.</summary>
    private const int ProbeRuns = 8;

    /// <summary>Runs per period: the choice is remade this often, so it follows a change of load.</summary>
    private const int Period = 4096;

    /// <summary>The longest period in seconds: long runs (an Ant step of many sub-envs) re-check a choice this often.</summary>
    private const double PeriodSeconds = 0.25;

    /// <summary>The split runs must take this fraction of the one-thread runs' time, in all, to be kept.</summary>
    private const double SplitMargin = 0.95;

    /// <summary>How long the caller waits for the workers' last blocks in even, short spins (50 µs).</summary>
    private static readonly long JoinSpinTicks = Stopwatch.Frequency / 20_000;

    // The next-block value that closes a run while the caller rewrites the run's fields.
    private const int Closed = int.MaxValue;

    private readonly Thread[] _threads;
    private readonly SemaphoreSlim _wake = new(0);

    // The run's generation (high 32 bits) and next unclaimed block (low 32 bits), changed together by CAS.
    private long _state;
    private int _sleepers;
    private int _completed;
    private int _blocks;
    private int _blockSize;
    private int _count;
    private IRangeWork? _work;
    private Exception? _failure;
    private volatile bool _stopping;
    private readonly long[] _splitTimes = new long[ProbeRuns];
    private readonly long[] _oneTimes = new long[ProbeRuns];
    private int _phase;
    private long _periodEnd;

    /// <summary>Creates a group of <paramref name="threads"/> threads in all: the caller and threads-1 workers.</summary>
    public WorkerGroup(int threads, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _threads = new Thread[threads - 1];
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"{name} worker {i + 1}" };
            _threads[i].Start();
        }
    }

    /// <summary>Threads that share a run, the caller included.</summary>
    public int Threads => _threads.Length + 1;

    /// <summary>Whether runs are split over the threads (rather than kept on the caller) since the last choice.</summary>
    public bool Splits { get; private set; } = true;

    /// <summary>Runs <paramref name="work"/> over [0, <paramref name="count"/>) and returns when every index is done.</summary>
    public void Run(IRangeWork work, int count)
    {
        if (_threads.Length == 0 || count <= 1)
        {
            work.Execute(0, count);
            return;
        }

        var phase = _phase;
        if (phase > 2 * ProbeRuns && Stopwatch.GetTimestamp() >= _periodEnd)
        {
            // A one-thread verdict from a probe that a passing stall spoiled must not stand for thousands of long runs.
            phase = 0;
        }

        _phase = phase + 1 == Period ? 0 : phase + 1;
        if (phase > 2 * ProbeRuns || phase == 0)
        {
            // Phase 0 starts a probe with an untimed split run: it wakes workers that slept through one-thread runs, whose
            // wake-up would otherwise count against the first timed split.
            if (Splits || phase == 0)
            {
                RunSplit(work, count);
            }
            else
            {
                work.Execute(0, count);
            }

            return;
        }

        // A probe: the split runs back to back (phase 0 woke the workers, and a run that follows a split finds them still
        // spinning), then as many one-thread runs. Alternating the two would charge every timed split for waking a worker
        // that fell asleep during the one-thread run before it, a cost that steady splitting never pays.
        var start = Stopwatch.GetTimestamp();
        if (phase <= ProbeRuns)
        {
            RunSplit(work, count);
            _splitTimes[phase - 1] = Stopwatch.GetTimestamp() - start;
        }
        else
        {
            work.Execute(0, count);
            _oneTimes[phase - ProbeRuns - 1] = Stopwatch.GetTimestamp() - start;
        }

        if (phase == 2 * ProbeRuns)
        {
            // Totals, not medians: a worker descheduled in one split run of four must count against the split.
            Splits = _splitTimes.Sum() < SplitMargin * _oneTimes.Sum();
            _periodEnd = Stopwatch.GetTimestamp() + (long)(PeriodSeconds * Stopwatch.Frequency);
        }
    }

    private void RunSplit(IRangeWork work, int count)
    {
        // Close claims under a new generation (a stale claim's CAS then fails), set the run up, then open it.
        var generation = (long)((int)(Volatile.Read(ref _state) >> 32) + 1) << 32;
        Volatile.Write(ref _state, generation | Closed);
        _work = work;
        _count = count;
        _blockSize = Math.Max(1, count / (Threads * BlocksPerThread));
        _blocks = (count + _blockSize - 1) / _blockSize;
        _completed = 0;
        _failure = null;
        Volatile.Write(ref _state, generation);
        var sleepers = Interlocked.Exchange(ref _sleepers, 0);
        if (sleepers > 0)
        {
            _wake.Release(sleepers);
        }

        ClaimBlocks();

        // Short, even spins first: SpinWait's growing spins and yields notice the other thread's last block microseconds
        // late, a tenth of a HalfCheetah step. Past the deadline it backs off, so a descheduled worker can have this core.
        var deadline = Stopwatch.GetTimestamp() + JoinSpinTicks;
        while (Volatile.Read(ref _completed) < _blocks && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.SpinWait(1);
        }

        var spinner = default(SpinWait);
        while (Volatile.Read(ref _completed) < _blocks)
        {
            spinner.SpinOnce(sleep1Threshold: -1); // never Sleep(1): a 1 ms nap dwarfs a step of the other thread
        }

        _work = null;
        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
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

    private void ClaimBlocks()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            var block = (int)state;

            // The CAS succeeds only while the state is unchanged since the read, so _blocks belonged to this run,
            // and the run stays live (its fields untouched) until this claimed block completes.
            if (block >= Volatile.Read(ref _blocks))
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _state, state + 1, state) != state)
            {
                continue;
            }

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

    private void WorkerLoop()
    {
        while (!_stopping)
        {
            if (HasWork())
            {
                ClaimBlocks();
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

    private bool HasWork() => (int)Volatile.Read(ref _state) < Volatile.Read(ref _blocks);

    private bool SpinForWork()
    {
        for (var i = 0; i < SpinIterations; i++)
        {
            if (HasWork() || _stopping)
            {
                return true;
            }

            Thread.SpinWait(20);
        }

        return false;
    }
}
