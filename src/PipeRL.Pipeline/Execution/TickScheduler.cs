using System.Diagnostics;
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

    private TickScheduler(TickPlan plan, TickLayers layers, WorkerPool? workers, WaveSplit[] splits, Share[][][] bins, bool[] splitAlone, bool[] onTickPath, TickSchedule schedule, bool probe)
    {
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

    /// <summary>Plans the ticks of <paramref name="network"/> at <paramref name="batch"/> on <paramref name="workers"/> and creates their kernels.</summary>
    public static TickScheduler Create(PipelineNetwork network, TickPlan plan, int batch, bool skipZeroInputs, WorkerPool? workers, TickScheduling scheduling)
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
        return new TickScheduler(plan, kernels, workers, splits, bins, splitAlone, onTickPath, new TickSchedule(waves, threads), scheduling == TickScheduling.Auto);
    }

    /// <summary>Computes every layer of the tick into <see cref="TickLayers.Current"/>.</summary>
    public void Run()
    {
        if (_probe is null)
        {
            RunWaves(parallel: true);
            return;
        }

        var parallel = _probe.Next(out var timed);
        var (stolen, late) = (_workers!.StolenChunks, _workers.LateJoinTicks);
        var start = timed ? Stopwatch.GetTimestamp() : 0;
        RunWaves(parallel);
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

    private sealed class ShareWork(TickScheduler owner) : IParallelWork
    {
        public int Layer { get; set; }

        public void Execute(int chunk, int chunkCount) => owner._layers.RunPart(Layer, chunk, chunkCount);
    }
}
