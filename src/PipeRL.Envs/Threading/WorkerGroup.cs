using System.Runtime.ExceptionServices;

namespace PipeRL.Envs.Threading;

/// <summary>
/// The calling thread plus persistent background workers that split an index range into contiguous chunks.
/// Workers spin briefly and then block between runs, so an idle group costs no CPU; a run allocates nothing.
/// </summary>
internal sealed class WorkerGroup : IDisposable
{
    private readonly Worker[] _workers;

    /// <summary>Creates a group of <paramref name="threads"/> threads in all: the caller and threads-1 workers.</summary>
    public WorkerGroup(int threads, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _workers = new Worker[threads - 1];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Worker($"{name} worker {i + 1}");
        }
    }

    /// <summary>Threads that share a run, the caller included.</summary>
    public int Threads => _workers.Length + 1;

    /// <summary>Runs <paramref name="work"/> over [0, <paramref name="count"/>): chunk 0 on the caller, the others on the workers.</summary>
    public void Run(IRangeWork work, int count)
    {
        var threads = Math.Min(Threads, Math.Max(count, 1));
        for (var t = 1; t < threads; t++)
        {
            _workers[t - 1].Start(work, ChunkStart(t, threads, count), ChunkStart(t + 1, threads, count));
        }

        Exception? failure = null;
        try
        {
            work.Execute(0, ChunkStart(1, threads, count));
        }
        catch (Exception ex) when (threads > 1)
        {
            failure = ex;
        }

        for (var t = 1; t < threads; t++)
        {
            failure ??= _workers[t - 1].Join();
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    /// <summary>Stops the workers.</summary>
    public void Dispose()
    {
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }
    }

    private static int ChunkStart(int chunk, int chunks, int count) => (int)((long)count * chunk / chunks);

    private sealed class Worker : IDisposable
    {
        private readonly ManualResetEventSlim _start = new(false, 2000);
        private readonly ManualResetEventSlim _done = new(false, 2000);
        private readonly Thread _thread;
        private IRangeWork? _work;
        private int _begin;
        private int _end;
        private Exception? _failure;
        private volatile bool _stopping;

        public Worker(string name)
        {
            _thread = new Thread(Loop) { IsBackground = true, Name = name };
            _thread.Start();
        }

        public void Start(IRangeWork work, int begin, int end)
        {
            _work = work;
            _begin = begin;
            _end = end;
            _failure = null;
            _start.Set();
        }

        public Exception? Join()
        {
            _done.Wait();
            _done.Reset();
            _work = null;
            return _failure;
        }

        public void Dispose()
        {
            _stopping = true;
            _start.Set();
            _thread.Join();
            _start.Dispose();
            _done.Dispose();
        }

        private void Loop()
        {
            while (true)
            {
                _start.Wait();
                _start.Reset();
                if (_stopping)
                {
                    return;
                }

                try
                {
                    _work!.Execute(_begin, _end);
                }
                catch (Exception ex)
                {
                    // Rethrown on the caller's thread by Run.
                    _failure = ex;
                }

                _done.Set();
            }
        }
    }
}
