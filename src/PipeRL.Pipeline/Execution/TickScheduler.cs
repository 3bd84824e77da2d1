using System.Diagnostics;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Graph;
using PipeRL.Tensors;

namespace PipeRL.Pipeline.Execution;

/// <summary>
/// Runs the waves of a tick on the caller and a <see cref="WorkerPool"/>, as chosen once at construction by
/// <see cref="TickCostModel"/>: per wave, every layer on the caller, or one pinned fork in which each thread computes the
/// same whole layers (or shares of the big ones) every tick, or each big layer split on its own. Nothing allocates and
/// nothing blocks while a tick runs; a worker that the machine has not scheduled in time loses its chunk to the caller.
/// With <see cref="TickScheduling.Auto"/>, a <see cref="SplitProbe"/> times the chosen plan against the whole tick on the
/// caller now and then and keeps the faster, so a busy machine that starves the workers gets one-thread ticks, not slower ones.
/// </summary>
internal sealed class TickScheduler
{
    /// <summary>The <c>onlyThread</c> of <see cref="RunWaves"/> that runs the tick on all of its threads.</summary>
    private const int AllThreads = -1;

    private readonly TickPlan _plan;
    private readonly TickLayers _layers;
    private readonly WorkerPool? _workers;
    private readonly WaveSplit[] _splits;
    private readonly Share[][][] _bins;
    private readonly bool[] _splitAlone;
    private readonly bool[] _onTickPath;
    private readonly int[][] _sharedLayers;
    private readonly BinWork _binWork;
    private readonly ShareWork _shareWork;
    private readonly SplitProbe? _probe;
    private readonly Overlap? _overlap;

    private TickScheduler(TickPlan plan, TickLayers layers, WorkerPool? workers, WaveSplit[] splits, Share[][][] bins, bool[] splitAlone, bool[] onTickPath, TickSchedule schedule, bool probe, Overlap? overlap)
    {
        _overlap = overlap;
        _probe = probe && splits.Any(s => s != WaveSplit.OneThread) ? new SplitProbe() : null;
        _plan = plan;
        _layers = layers;
        _workers = workers;
        _splits = splits;
        _bins = bins;
        _splitAlone = splitAlone;
        _onTickPath = onTickPath;
        _sharedLayers = [.. bins.Select(wave => wave[0].Where(s => s.Parts > 1).Select(s => s.Layer).ToArray())];
        _binWork = new BinWork(this);
        _shareWork = new ShareWork(this);
        Schedule = schedule;
    }

    /// <summary>What was chosen, for reports.</summary>
    public TickSchedule Schedule { get; }

    /// <summary>Whether the ticks now run as <see cref="Schedule"/> says (false: the last timing check found one thread faster).</summary>
    public bool Parallel => _probe?.Splits ?? Schedule.Threads > 1;

    /// <summary>The fraction of the ticks so far that ran as scheduled on more than one thread (timing checks included).</summary>
    public double SplitShare => _probe is null ? (Schedule.Threads > 1 && _splits.Any(s => s != WaveSplit.OneThread) ? 1 : 0)
        : _probe.Runs == 0 ? 0 : (double)_probe.SplitRuns / _probe.Runs;

    /// <summary>The layer kernels the waves run.</summary>
    public TickLayers Layers => _layers;

    /// <summary>Whether split ticks return before the workers' layers are done (see <see cref="Create"/>).</summary>
    public bool Overlaps => _overlap is not null;

    /// <summary>The caller's layers that an overlapped tick computes before it waits for the last tick's workers.</summary>
    public IReadOnlyList<int> EarlyLayers => _overlap?.Early ?? [];

    /// <summary>
    /// Plans the ticks of <paramref name="network"/> at <paramref name="batch"/> on <paramref name="workers"/> and creates
    /// their kernels. With <paramref name="overlap"/>, a pipelined tick of one wave split into whole layers hands the workers
    /// their layers first and returns once the caller's are done: the workers' layers finish while the next tick runs (see
    /// <see cref="Overlap"/>); <see cref="Join"/> waits for them.
    /// </summary>
    public static TickScheduler Create(PipelineNetwork network, TickPlan plan, int batch, bool skipZeroInputs, WorkerPool? workers, TickScheduling scheduling, bool overlap = false)
    {
        var graph = network.Graph;
        var threads = workers?.ThreadCount ?? 1;
        var count = graph.Layers.Count;
        var sparse = new bool[count];
        var onTickPath = new bool[count];
        var engineSplittable = new bool[count];
        var cost = new double[count];
        foreach (var layer in graph.Layers)
        {
            var l = layer.Index;
            var module = network.Module(l);
            sparse[l] = TickLayers.OnSparsePath(network, l, batch, skipZeroInputs);
            onTickPath[l] = sparse[l] || (batch == 1 && module is Conv2d);
            engineSplittable[l] = !onTickPath[l] && (module is Conv2d || (module is Linear && batch > 4));
            cost[l] = layer.IsComputing ? TickCostModel.LayerNs(network, plan, l, batch, sparse[l]) : 0;
        }

        var splits = new WaveSplit[plan.Computing.Length];
        var bins = new Share[plan.Computing.Length][][];
        var splitAlone = new bool[count];
        var waves = new WaveSchedule[plan.Computing.Length];
        for (var w = 0; w < plan.Computing.Length; w++)
        {
            var layers = plan.Computing[w];
            var oneThread = layers.Sum(l => cost[l]);
            var choice = new Choice(WaveSplit.OneThread, [[.. layers.Select(l => new Share(l, 0, 1))]], oneThread);
            if (threads > 1)
            {
                var minShare = scheduling == TickScheduling.Parallel ? 0 : TickCostModel.MinShareNs;
                Choice[] candidates =
                [
                    Bins(WaveSplit.WholeLayers, layers, cost, threads, _ => false),
                    Bins(WaveSplit.Shares, layers, cost, threads, l => onTickPath[l] && cost[l] >= minShare),
                    SplitEach(layers, cost, threads, l => (onTickPath[l] || engineSplittable[l]) && cost[l] >= minShare, onTickPath),
                ];
                var best = candidates.Where(c => c.Valid).MinBy(c => c.Split == WaveSplit.WholeLayers ? c.EstimatedNs : c.EstimatedNs / TickCostModel.ShareMargin);
                if (best is not null && (scheduling == TickScheduling.Parallel || best.EstimatedNs < TickCostModel.Margin * oneThread))
                {
                    choice = best;
                }
            }

            splits[w] = choice.Split;
            bins[w] = choice.Bins;
            foreach (var share in choice.Bins.SelectMany(b => b))
            {
                splitAlone[share.Layer] |= choice.Split == WaveSplit.EachLayerSplit && share.Parts > 1;
            }

            waves[w] = new WaveSchedule(
                choice.Split,
                [.. choice.Bins.Select(b => (IReadOnlyList<string>)[.. b.Select(s => s.Parts == 1 ? graph.Layers[s.Layer].Name : $"{graph.Layers[s.Layer].Name} {s.Part + 1}/{s.Parts}")])],
                choice.EstimatedNs,
                oneThread);
        }

        // Layers computed in shares keep a list of nonzero inputs per share and read a panelled weight.
        var inShares = new bool[count];
        foreach (var share in bins.SelectMany(b => b).SelectMany(b => b))
        {
            inShares[share.Layer] |= share.Parts > 1;
        }

        var kernels = new TickLayers(network, plan, batch, skipZeroInputs, inShares, threads);
        var overlapping = overlap && workers is not null && plan.Mode == ExecutionMode.Pipelined && splits.Length == 1
            && plan.Wiring[0].Length == 0 && splits[0] == WaveSplit.WholeLayers
            ? Overlap.Create(network, plan, bins[0], kernels, workers, onTickPath) : null;
        return new TickScheduler(plan, kernels, workers, splits, bins, splitAlone, onTickPath, new TickSchedule(waves, threads), scheduling == TickScheduling.Auto, overlapping);
    }

    /// <summary>Waits for the workers' layers of overlapped ticks that returned before them and checks that their weights held still; nothing otherwise.</summary>
    public void Join() => _overlap?.WaitAll();

    /// <summary>Computes every layer of the tick into <see cref="TickLayers.Current"/>.</summary>
    public void Run()
    {
        if (_probe is null)
        {
            RunTick(parallel: true);
            return;
        }

        var parallel = _probe.Next(out var timed);
        var (stolen, late) = (_workers!.StolenChunks, _workers.LateJoinTicks);
        var start = timed ? Stopwatch.GetTimestamp() : 0;
        RunTick(parallel);
        _probe.Record(timed ? Stopwatch.GetTimestamp() - start : 0, _workers.StolenChunks == stolen, _workers.LateJoinTicks - late);
    }

    /// <summary>
    /// Whether each thread's part of a scheduled tick can run alone (<see cref="RunThreadPart"/>): the schedule splits the
    /// tick, and splits no engine product (whose parts the engine hands out itself).
    /// </summary>
    public bool CanRunThreadParts => _workers is not null && _splits.Any(s => s != WaveSplit.OneThread)
        && !_splitAlone.Where((alone, l) => alone && !_onTickPath[l]).Any();

    /// <summary>
    /// Computes on the caller only what thread <paramref name="thread"/> computes in a scheduled tick (thread 0 also the
    /// layers that run before a split or on one thread) into <see cref="TickLayers.Current"/>; the other layers keep their
    /// values. Only where <see cref="CanRunThreadParts"/>.
    /// </summary>
    public void RunThreadPart(int thread) => RunWaves(parallel: true, thread);

    /// <summary>Computes every layer of the tick on the caller, without a timing check (the bits of <see cref="Run"/>).</summary>
    public void RunOnCaller() => RunWaves(parallel: false);

    /// <summary>
    /// Computes the waves as scheduled, or all on the caller when not <paramref name="parallel"/> (the same bits); with
    /// <paramref name="onlyThread"/>, only that thread's part of a scheduled tick, on the caller (<see cref="RunThreadPart"/>).
    /// </summary>
    private void RunWaves(bool parallel, int onlyThread = AllThreads)
    {
        Join();
        var callersLayers = onlyThread is AllThreads or 0;
        for (var w = 0; w < _plan.Computing.Length; w++)
        {
            if (callersLayers)
            {
                foreach (var l in _plan.Wiring[w])
                {
                    _layers.Compute(l);
                }
            }

            switch (parallel ? _splits[w] : WaveSplit.OneThread)
            {
                case WaveSplit.WholeLayers:
                case WaveSplit.Shares:
                    // Shared layers fetch their weights here, once; each thread prepares its whole layers itself, in its own cache.
                    foreach (var l in _sharedLayers[w])
                    {
                        _layers.Prepare(l, _workers!.ThreadCount);
                    }

                    if (_binWork.Wave != w)
                    {
                        _binWork.Wave = w;
                    }

                    Fork(_binWork, onlyThread);
                    break;
                case WaveSplit.EachLayerSplit:
                    foreach (var l in _plan.Computing[w])
                    {
                        RunSplit(l, onlyThread);
                    }

                    break;
                default:
                    if (callersLayers)
                    {
                        foreach (var l in _plan.Computing[w])
                        {
                            _layers.Compute(l);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>Computes a tick: overlapped where it is split and may overlap, else as <see cref="RunWaves"/>.</summary>
    private void RunTick(bool parallel)
    {
        if (parallel && _overlap is not null)
        {
            RunOverlapped(_overlap);
        }
        else
        {
            RunWaves(parallel);
        }
    }

    /// <summary>
    /// The one wave of an overlapped tick: the workers' layers handed out, the caller's early layers, the wait for the last
    /// tick's workers, then the caller's other layers; returns without waiting for this tick's workers.
    /// </summary>
    private void RunOverlapped(Overlap overlap)
    {
        overlap.Begin(_layers.Bound);
        foreach (var l in overlap.Early)
        {
            _layers.Compute(l);
        }

        overlap.WaitForLastTick();
        foreach (var l in overlap.Late)
        {
            _layers.Compute(l);
        }
    }

    /// <summary>Runs <paramref name="work"/> pinned on the pool, or only <paramref name="onlyThread"/>'s chunk of it on the caller.</summary>
    private void Fork(IParallelWork work, int onlyThread)
    {
        if (onlyThread == AllThreads)
        {
            _workers!.RunPinned(work);
        }
        else
        {
            work.Execute(onlyThread, _workers!.ThreadCount);
        }
    }

    /// <summary>Computes layer <paramref name="l"/> of an <see cref="WaveSplit.EachLayerSplit"/> wave (see <see cref="RunWaves"/>).</summary>
    private void RunSplit(int l, int onlyThread)
    {
        _layers.Prepare(l, _splitAlone[l] ? _workers!.ThreadCount : 1);
        if (!_splitAlone[l])
        {
            if (onlyThread is AllThreads or 0)
            {
                _layers.RunPart(l, 0, 1);
            }
        }
        else if (_onTickPath[l])
        {
            _shareWork.Layer = l;
            Fork(_shareWork, onlyThread);
        }
        else
        {
            // An engine product, split by the engine (never in a thread's part: see CanRunThreadParts).
            _layers.RunPart(l, 0, 1, _workers);
        }
    }

    /// <summary>
    /// <paramref name="shared"/> layers as one share per thread, the other layers whole in runs of consecutive layers, one
    /// run per thread, balanced by cost; estimated as the busiest thread plus one fork.
    /// </summary>
    /// <remarks>
    /// Runs, not layers dealt out one by one: a layer mostly reads the layer before it, so in runs only the first layer of
    /// a run reads an input that the other core wrote last tick. Dealt alternately (20 dense layers 256 wide at batch 1 on
    /// the 2-vCPU Zen 5 host), every layer did, next to buffers of a layer of the other thread (see
    /// <see cref="SeparateLines"/>), and each thread's 10 layers took as long as all 20 on one thread; in two runs, 1.8x faster.
    /// </remarks>
    private static Choice Bins(WaveSplit split, int[] layers, double[] cost, int threads, Func<int, bool> shared)
    {
        var sharedLayers = layers.Where(shared).ToArray();
        var whole = layers.Where(l => !shared(l)).Order().ToArray();
        var sharedNs = sharedLayers.Sum(l => TickCostModel.ShareOf(cost[l], threads));
        var runs = ConsecutiveRuns([.. whole.Select(l => cost[l])], threads);
        var bins = new Share[threads][];
        var load = new double[threads];
        for (var t = 0; t < threads; t++)
        {
            var (from, to) = runs[t];
            bins[t] = [.. sharedLayers.Select(l => new Share(l, t, threads)).Concat(whole[from..to].Select(l => new Share(l, 0, 1))).OrderBy(s => s.Layer)];
            load[t] = sharedNs + whole[from..to].Sum(l => cost[l]);
        }

        var valid = bins.Count(b => b.Length > 0) > 1 && (split == WaveSplit.WholeLayers || sharedLayers.Length > 0);
        return new Choice(split, bins, load.Max() + TickCostModel.ForkNs, valid);
    }

    /// <summary>
    /// Splits items of cost <paramref name="costs"/>, in order, into <paramref name="parts"/> runs of consecutive items (some
    /// possibly empty) whose largest total is the least possible; returns each run's [from, to).
    /// </summary>
    internal static (int From, int To)[] ConsecutiveRuns(double[] costs, int parts)
    {
        var n = costs.Length;
        var prefix = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            prefix[i + 1] = prefix[i] + costs[i];
        }

        // best[p, i]: the least largest total of the first i items in p runs; cut[p, i]: where the last of those runs starts.
        var best = new double[parts + 1, n + 1];
        var cut = new int[parts + 1, n + 1];
        for (var i = 1; i <= n; i++)
        {
            best[0, i] = double.PositiveInfinity;
        }

        for (var p = 1; p <= parts; p++)
        {
            for (var i = 0; i <= n; i++)
            {
                best[p, i] = double.PositiveInfinity;
                for (var j = 0; j <= i; j++)
                {
                    var largest = Math.Max(best[p - 1, j], prefix[i] - prefix[j]);
                    if (largest < best[p, i])
                    {
                        best[p, i] = largest;
                        cut[p, i] = j;
                    }
                }
            }
        }

        var runs = new (int From, int To)[parts];
        for (int p = parts, end = n; p >= 1; p--)
        {
            var start = cut[p, end];
            runs[p - 1] = (start, end);
            end = start;
        }

        return runs;
    }

    /// <summary>Each <paramref name="splittable"/> layer split over the threads in turn, the others whole on the caller.</summary>
    private static Choice SplitEach(int[] layers, double[] cost, int threads, Func<int, bool> splittable, bool[] onTickPath)
    {
        var estimate = layers.Sum(l => !splittable(l) ? cost[l]
            : onTickPath[l] ? TickCostModel.ShareOf(cost[l], threads) + TickCostModel.ForkNs
            : TickCostModel.EngineSplit(cost[l], threads));
        Share[][] bins = [.. Enumerable.Range(0, threads).Select(t => layers
            .Where(l => t == 0 || splittable(l))
            .Select(l => splittable(l) ? new Share(l, t, threads) : new Share(l, 0, 1))
            .ToArray())];
        return new Choice(WaveSplit.EachLayerSplit, bins, estimate, layers.Any(splittable));
    }

    /// <summary>Share <see cref="Part"/> of <see cref="Parts"/> of layer <see cref="Layer"/>.</summary>
    private readonly record struct Share(int Layer, int Part, int Parts);

    /// <summary>A candidate plan of one wave: per thread, its shares in order.</summary>
    private sealed record Choice(WaveSplit Split, Share[][] Bins, double EstimatedNs, bool Valid = true);

    private sealed class BinWork(TickScheduler owner) : IParallelWork
    {
        public int Wave { get; set; }

        public void Execute(int chunk, int chunkCount)
        {
            foreach (var share in owner._bins[Wave][chunk])
            {
                if (share.Parts == 1)
                {
                    owner._layers.Compute(share.Layer);
                }
                else
                {
                    owner._layers.RunPart(share.Layer, share.Part, share.Parts);
                }
            }
        }
    }

    /// <summary>
    /// Ticks whose workers lag the caller by one tick. Tick t (current X, previous Y) first hands the workers their layers W,
    /// which read Y's values of their previous-tick sources and write X's of their own; each worker runs its layers of tick
    /// t after those of tick t-1 (<see cref="WorkerPool.BeginPinned"/>), which read X's values and write Y's. The caller
    /// then computes its layers that neither are such a source (writing X's value while tick t-1's workers read it) nor
    /// read a layer of W (Y's value, which tick t-1's workers write), waits for tick t-1's workers, and computes the rest.
    /// The output that acts after tick t is Y's head, written by tick t-1's workers, so the tick returns without waiting
    /// for its own. The workers must read no input at the previous tick (tick t copies its input into X before it starts),
    /// and compute only layers on the tick paths, whose scratch is the executor's (an LSTM cell's is its module's, which
    /// another executor of the same network may use meanwhile). The caller fetches the workers' weight copies before it hands
    /// them out, so a worker never rebuilds one; their weights must hold still while workers run, which the next tick and
    /// <see cref="WaitAll"/> check by the weights' versions.
    /// </summary>
    private sealed class Overlap
    {
        private readonly WorkerPool _workers;
        private readonly TickLayers _layers;
        private readonly int[] _workerLayers;
        private readonly Parameter[] _weights;
        private readonly long[] _versions;
        private readonly WorkerRun[] _runs;
        private long _last;
        private long _beforeLast;
        private int _next;

        private Overlap(WorkerPool workers, TickLayers layers, Share[][] bins, int[] early, int[] late, Parameter[] weights)
        {
            _workers = workers;
            _layers = layers;
            _workerLayers = [.. bins.Skip(1).SelectMany(b => b).Select(s => s.Layer)];
            Early = early;
            Late = late;
            _weights = weights;
            _versions = new long[weights.Length];
            _runs = [new WorkerRun(bins, layers), new WorkerRun(bins, layers)];
        }

        /// <summary>The caller's layers computed before the wait for the last tick's workers.</summary>
        public int[] Early { get; }

        /// <summary>The caller's layers computed after it.</summary>
        public int[] Late { get; }

        /// <summary>
        /// The overlap of the one wave split into whole layers as <paramref name="bins"/>, computed by <paramref name="layers"/>
        /// on <paramref name="workers"/>, or null where the workers read an input at the previous tick or compute a layer off
        /// the tick paths (<paramref name="onTickPath"/>).
        /// </summary>
        public static Overlap? Create(PipelineNetwork network, TickPlan plan, Share[][] bins, TickLayers layers, WorkerPool workers, bool[] onTickPath)
        {
            var graph = network.Graph;
            var onWorkers = bins.Skip(1).SelectMany(b => b).Select(s => s.Layer).ToHashSet();
            if (!onWorkers.All(l => onTickPath[l]))
            {
                return null;
            }

            var read = new HashSet<int>();
            foreach (var w in onWorkers)
            {
                var inputs = graph.Layers[w].Inputs;
                for (var j = 0; j < inputs.Count; j++)
                {
                    if (!plan.SameTick[w][j])
                    {
                        read.Add(inputs[j].Source);
                    }
                }
            }

            if (read.Any(l => graph.Layers[l].Kind == LayerKind.Input))
            {
                return null;
            }

            bool Early(int l) => !read.Contains(l)
                && !graph.Layers[l].Inputs.Where((_, j) => !plan.SameTick[l][j]).Any(e => onWorkers.Contains(e.Source));
            int[] callers = [.. bins[0].Select(s => s.Layer)];
            Parameter[] weights = [.. onWorkers.Order().SelectMany(l => (network.Module(l) as IModule)?.Parameters ?? [])];
            return new Overlap(workers, layers, bins, [.. callers.Where(Early)], [.. callers.Where(l => !Early(l))], weights);
        }

        /// <summary>Hands this tick's worker layers, on <paramref name="binding"/>'s values, to the workers.</summary>
        public void Begin(TickLayers.Binding binding)
        {
            if (_last != 0 && WeightsMoved())
            {
                WaitAll();
            }

            foreach (var l in _workerLayers)
            {
                _layers.Prepare(l, 1);
            }

            for (var i = 0; i < _weights.Length; i++)
            {
                _versions[i] = _weights[i].Version;
            }

            var run = _runs[_next];
            _next ^= 1;
            run.Binding = binding;
            _beforeLast = _last;
            _last = _workers.BeginPinned(run);
        }

        /// <summary>Waits for the workers of the tick before the one begun last.</summary>
        public void WaitForLastTick()
        {
            _workers.EndPinned(_beforeLast);
            _beforeLast = 0;
        }

        /// <summary>Waits for every tick's workers; throws when a weight they read changed while they ran.</summary>
        public void WaitAll()
        {
            if (_last == 0)
            {
                return;
            }

            _workers.EndPinned(_last);
            (_last, _beforeLast) = (0, 0);
            if (WeightsMoved())
            {
                throw new InvalidOperationException("A weight changed while an overlapped tick's workers were still computing; call the executor's Join() before changing weights (an optimizer step, a restore).");
            }
        }

        private bool WeightsMoved()
        {
            for (var i = 0; i < _weights.Length; i++)
            {
                if (_versions[i] != _weights[i].Version)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>One tick's worker layers, on that tick's values (two, for the two ticks that may be open).</summary>
        private sealed class WorkerRun(Share[][] bins, TickLayers layers) : IParallelWork
        {
            public TickLayers.Binding? Binding { get; set; }

            public void Execute(int chunk, int chunkCount)
            {
                foreach (var share in bins[chunk])
                {
                    layers.RunPart(Binding!, share.Layer, 0, 1);
                }
            }
        }
    }

    private sealed class ShareWork(TickScheduler owner) : IParallelWork
    {
        public int Layer { get; set; }

        public void Execute(int chunk, int chunkCount) => owner._layers.RunPart(Layer, chunk, chunkCount);
    }
}
