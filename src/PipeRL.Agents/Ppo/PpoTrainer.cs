using System.Text;
using PipeRL.Agents.Acting;
using PipeRL.Agents.Distributions;
using PipeRL.Agents.Networks;
using PipeRL.Agents.Normalization;
using PipeRL.Envs;
using PipeRL.Tensors;
using PipeRL.Tensors.IO;
using PipeRL.Tensors.Optim;

namespace PipeRL.Agents.Ppo;

/// <summary>
/// PPO (CleanRL's <c>ppo.py</c>) for delayed actors: the actor acts one tick at a time during the rollout (with its
/// delay, through the shared <see cref="ActingLoop"/>), the undelayed critic sees the current observation (or the
/// augmented input, <see cref="CriticInput"/>), and each
/// update replays the rollout through the actor with the current weights. <see cref="PpoUpdateScheme.Minibatch"/>
/// (the default) splits the envs into chunks and replays each from the acting state saved at the rollout's start
/// (as CleanRL's LSTM PPO): exact for every architecture, every tick in the loss. <see cref="PpoUpdateScheme.Paper"/>
/// is the authors' full-batch update from an instant start, the first <c>burn-in</c> ticks getting no loss.
/// </summary>
public sealed class PpoTrainer : ITrainer
{
    private const int PaperBurnIn = 7;
    private const string CountersKey = "ppo.updates_ticks";
    private const string RandomKey = "ppo.random";
    private const string ActingKey = "ppo.acting";
    private const int ActingVersion = 1;
    private const string RewardStatisticsKey = "ppo.reward_statistics";

    private readonly IVectorEnv _envs;
    private readonly IActorNetwork _actor;
    private readonly ValueNetwork _critic;
    private readonly PpoOptions _o;
    private readonly int _seed;
    private readonly PolicyDistribution _policy;
    private readonly PpoRollout _rollout;
    private readonly ActingLoop _loop;
    private readonly Adam _adam;
    private readonly Parameter[] _parameters;
    private readonly SeededRandom _random;
    private readonly Tape _tape = new();
    private readonly Tape _inferTape = new();
    private readonly WorkerChoice _updateThreads = new();
    private readonly MemoryStream _actingState = new();

    // Acting state carried from one rollout to the next: the env's observations, and the ones the agent sees (normalised or the same).
    private readonly float[] _observations;
    private readonly float[] _seen;
    private readonly float[] _seenFinal;
    private readonly RewardNormalizer? _rewardNormalizer;
    private readonly float[] _scaledRewards;
    private readonly bool[] _stepEnded;
    private readonly double[] _stepRewards;
    private readonly bool[] _stepTerminated;
    private readonly bool[] _stepTruncated;
    private readonly double[] _episodeReturns;
    private readonly long[] _episodeTicks;
    private readonly Tensor _criticRollout;
    private readonly Tensor _criticBatch;
    private readonly Tensor _criticSingle;
    private readonly float[] _tailInputs;
    private readonly float[] _tailValues;
    private readonly int[] _envOrder;
    private readonly bool[] _nextEpisodeStarts;
    private readonly int _burnIn;
    private WorkerPool? _workers;
    private ActorSnapshot? _start;
    private WindowBuffers? _window;
    private bool _acting;
    private long _ticks;
    private int _updates;
    private volatile bool _stopRequested;

    /// <summary>
    /// Trains <paramref name="actor"/> and <paramref name="critic"/> on <paramref name="envs"/> (same-step autoreset) with one
    /// Adam over both; the actor's input history follows <paramref name="window"/>. The critic's input is the
    /// observation, or the actor's input size for <see cref="CriticInput.Augmented"/>.
    /// </summary>
    public PpoTrainer(IVectorEnv envs, IActorNetwork actor, ValueNetwork critic, PpoOptions options, int seed, HistoryWindow window = HistoryWindow.InFlight)
    {
        ArgumentNullException.ThrowIfNull(envs);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(critic);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (envs.NumEnvs != options.NumEnvs)
        {
            throw new ArgumentException($"The vector env has {envs.NumEnvs} envs but num-envs is {options.NumEnvs}.", nameof(envs));
        }

        if (envs.AutoresetMode != AutoresetMode.SameStep)
        {
            throw new ArgumentException("PPO needs a vector env with same-step autoreset (the final observation kept aside).", nameof(envs));
        }

        _envs = envs;
        _actor = actor;
        _critic = critic;
        _o = options;
        _seed = seed;
        var observationSize = envs.SingleObservationSpace.FlatSize;
        _loop = new ActingLoop(actor, envs.SingleActionSpace, options.NumEnvs, observationSize, window);
        _policy = _loop.Policy;
        _burnIn = ValidBurnIn(options, actor);
        var criticInputSize = options.CriticInput == CriticInput.Augmented ? actor.InputSize : observationSize;
        if (critic.InputSize != criticInputSize)
        {
            throw new ArgumentException($"The critic reads {critic.InputSize} floats, but its {options.CriticInput} input holds {criticInputSize}.", nameof(critic));
        }

        _rollout = new PpoRollout(options.NumSteps, options.NumEnvs, criticInputSize, actor.InputSize, _policy.ActionSize);
        _parameters = [.. actor.Parameters, .. critic.Parameters];
        _adam = new Adam(_parameters, options.LearningRate, eps: options.AdamEpsilon);
        _random = new SeededRandom(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 1));
        var n = options.NumEnvs;
        _observations = new float[n * observationSize];
        ObservationNormalizer = options.NewObservationNormalizer(observationSize);
        _seen = ObservationNormalizer is null ? _observations : new float[n * observationSize];

        _rewardNormalizer = options.NormalizeRewards ? new RewardNormalizer(n, options.Gamma, options.NormalizationClip) : null;
        _seenFinal = new float[observationSize];
        _scaledRewards = new float[n];
        _stepEnded = new bool[n];
        _stepRewards = new double[n];
        _stepTerminated = new bool[n];
        _stepTruncated = new bool[n];
        _episodeReturns = new double[n];
        _episodeTicks = new long[n];
        _criticRollout = Tensor.Zeros(options.BatchSize, criticInputSize);
        _criticBatch = Tensor.Zeros(n, criticInputSize);
        _criticSingle = Tensor.Zeros(1, criticInputSize);
        _tailInputs = new float[n * criticInputSize];
        _tailValues = new float[n];
        _envOrder = new int[n];
        _nextEpisodeStarts = new bool[n];
    }

    /// <summary>The name prefix of the actor's parameters in a checkpoint.</summary>
    public const string ActorPrefix = "actor/";

    /// <summary>The name prefix of the critic's parameters in a checkpoint.</summary>
    public const string CriticPrefix = "critic/";

    /// <summary>The running observation statistics when <see cref="PpoOptions.NormalizeObservations"/>, else null; evaluation standardises with them, frozen.</summary>
    public ObservationNormalizer? ObservationNormalizer { get; }

    /// <summary>Receives episodes and updates; may be null.</summary>
    public ITrainingObserver? Observer { get; set; }

    /// <summary>
    /// Threads for the networks' matrix products and convolutions (rollout, critic evaluation and updates), or null for
    /// the calling thread only. The gradient steps run with them only while their timing checks find that faster
    /// (<see cref="WorkerChoice"/>); the results are the same bits either way.
    /// </summary>
    public WorkerPool? Workers
    {
        get => _workers;
        set
        {
            _workers = value;
            _tape.Workers = value;
            _inferTape.Workers = value;
        }
    }

    /// <summary>How many gradient steps ran with the workers, of how many (timing checks included).</summary>
    public (long PoolSteps, long Steps) WorkerUse => (_updateThreads.PoolUnits, _updateThreads.Units);

    /// <summary>Ticks taken so far, over all envs.</summary>
    public long Ticks => _ticks;

    /// <summary>Updates completed so far (restored by <see cref="LoadState"/>).</summary>
    public int Updates => _updates;

    /// <inheritdoc/>
    public IReadOnlyList<string> StatNames => PpoUpdateStats.Names;

    /// <summary>The burn-in ticks of every replayed window: 0 for the exact minibatch replay, the paper scheme's (7 unless set) otherwise.</summary>
    public int BurnIn => _burnIn;

    /// <summary>
    /// Trains until <paramref name="totalTicks"/> ticks over all envs (whole rollouts; the remainder is dropped), from
    /// update <see cref="Updates"/> + 1, or until <see cref="RequestStop"/> is called (then after the current update).
    /// The first call resets every env from the seed; a later call, or one after <see cref="LoadState"/>, continues the
    /// episodes in progress, so a run split at any update (and checkpointed there) is the run that was not split.
    /// </summary>
    public void Train(long totalTicks)
    {
        var numUpdates = (int)(totalTicks / _o.BatchSize);
        if (numUpdates < 1)
        {
            throw new ArgumentException($"A budget of {totalTicks} ticks is less than one rollout ({_o.BatchSize} ticks).", nameof(totalTicks));
        }

        if (!_acting)
        {
            _envs.Reset(_observations, _seed);
            Observe();
            _loop.Begin(_seen, Workers);
            _acting = true;
        }

        for (var update = _updates + 1; update <= numUpdates && !_stopRequested; update++)
        {
            _adam.LearningRate = _o.AnnealLearningRate ? LearningRateSchedule.Linear(_o.LearningRate, update, numUpdates) : _o.LearningRate;
            _nextEpisodeStarts.AsSpan().CopyTo(_rollout.EpisodeStarts);
            CollectRollout();
            Gae.Compute(_rollout.Rewards, _rollout.Values, _rollout.NextValues, _rollout.Terminated, _rollout.Truncated, _o.NumEnvs, _o.Gamma, _o.GaeLambda, _rollout.Advantages);
            Gae.Returns(_rollout.Advantages, _rollout.Values, _rollout.Returns);
            var stats = _o.UpdateScheme == PpoUpdateScheme.Paper ? UpdateFullBatch() : UpdateMinibatches();
            _updates = update;
            Observer?.OnUpdate(_ticks, (stats with
            {
                LearningRate = _adam.LearningRate,
                ExplainedVariance = ExplainedVariance.Compute(_rollout.Values, _rollout.Returns),
            }).ToUpdateStats());
        }

        // A stop asked for before this call (even before it started) ends it; the next call trains again.
        _stopRequested = false;
    }

    /// <summary>Asks <see cref="Train"/> to return after the update in progress (safe from another thread or a signal handler).</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>
    /// Adds everything continuing the run depends on to <paramref name="checkpoint"/>, between two updates: actor and
    /// critic parameters, Adam's moments and step, the update and tick counters, the random source of action sampling
    /// and minibatch shuffles, the normalisers' statistics, and the acting state: every env's state (random sources
    /// included, see <see cref="IStatefulEnv"/>), the current observations (and as the agent sees them), the actor's
    /// layer values, the action histories and the episodes in progress (returns, discounted returns and lengths so far).
    /// </summary>
    public void SaveState(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        checkpoint.AddParameters(_actor.Parameters, ActorPrefix);
        checkpoint.AddParameters(_critic.Parameters, CriticPrefix);
        checkpoint.AddOptimizer(_adam);
        var (s0, s1, s2, s3) = _random.GetState();
        checkpoint.SetIntegers(CountersKey, [_updates, _ticks]);
        checkpoint.SetIntegers(RandomKey, [unchecked((long)s0), unchecked((long)s1), unchecked((long)s2), unchecked((long)s3)]);
        ObservationNormalizer?.Save(checkpoint);
        _rewardNormalizer?.Statistics.Save(checkpoint, RewardStatisticsKey);

        // One buffer for every save, so checkpoints leave no garbage behind.
        _actingState.SetLength(0);
        using (var writer = new BinaryWriter(_actingState, Encoding.UTF8, leaveOpen: true))
        {
            WriteActing(writer);
        }

        checkpoint.SetBytes(ActingKey, _actingState.GetBuffer().AsSpan(0, (int)_actingState.Length));
    }

    /// <summary>
    /// Restores what <see cref="SaveState"/> wrote, so the next <see cref="Train"/> continues after its update exactly as
    /// the saving trainer would have (set <see cref="Workers"/> first: the actor's executor is made here). A checkpoint
    /// without the acting state (written by an earlier PipeRL) is refused: it cannot continue the run exactly.
    /// </summary>
    public void LoadState(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var counters = checkpoint.GetIntegers(CountersKey);
        var random = checkpoint.GetIntegers(RandomKey);
        if (counters.Length != 2 || counters[0] < 0 || counters[0] > int.MaxValue || counters[1] != counters[0] * _o.BatchSize || random.Length != 4)
        {
            throw new InvalidDataException($"Checkpoint {checkpoint.SourcePath} has counters that do not fit these PPO options (batch {_o.BatchSize}).");
        }

        if (!checkpoint.Bytes.TryGetValue(ActingKey, out var acting))
        {
            throw new InvalidDataException($"Checkpoint {checkpoint.SourcePath} has no acting state (env states, layer values, action histories, episodes in progress): an earlier PipeRL wrote it, and a run resumed from it would not be the run that was interrupted; delete it and resume to train the run again from its start.");
        }

        checkpoint.RestoreParameters(_actor.Parameters, ActorPrefix);
        checkpoint.RestoreParameters(_critic.Parameters, CriticPrefix);
        checkpoint.RestoreOptimizer(_adam);
        ObservationNormalizer?.Load(checkpoint);
        _rewardNormalizer?.Statistics.Load(checkpoint, RewardStatisticsKey);
        _random.SetState((unchecked((ulong)random[0]), unchecked((ulong)random[1]), unchecked((ulong)random[2]), unchecked((ulong)random[3])));
        (_updates, _ticks) = ((int)counters[0], counters[1]);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(acting, writable: false), Encoding.UTF8);
            ReadActing(reader);
            if (reader.BaseStream.Position != acting.Length)
            {
                throw new InvalidDataException($"{acting.Length - reader.BaseStream.Position} bytes follow the saved state");
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidDataException($"Checkpoint {checkpoint.SourcePath} has an acting state that does not fit this run: {ex.Message.TrimEnd('.')}.", ex);
        }
    }

    /// <inheritdoc/>
    string ITrainer.LoadState(Checkpoint checkpoint)
    {
        LoadState(checkpoint);
        return "envs, episodes in progress, layer values, action histories and random sources as they were";
    }

    /// <summary>Adds the actor's and the critic's parameters (under <see cref="ActorPrefix"/> and <see cref="CriticPrefix"/>) and the observation statistics the actor acts on.</summary>
    public void AddParameters(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        checkpoint.AddParameters(_actor.Parameters, ActorPrefix);
        checkpoint.AddParameters(_critic.Parameters, CriticPrefix);
        ObservationNormalizer?.Save(checkpoint);
    }

    // The acting state between two rollouts; a trainer that has not acted yet writes only that.
    private void WriteActing(BinaryWriter writer)
    {
        writer.WriteHeader(ActingKey, ActingVersion);
        writer.Write(_acting);
        if (!_acting)
        {
            return;
        }

        writer.WriteArray(_observations);
        if (ObservationNormalizer is not null)
        {
            writer.WriteArray(_seen);
        }

        if (_rewardNormalizer is not null)
        {
            writer.WriteArray(_rewardNormalizer.Returns);
        }

        writer.WriteArray(_episodeReturns);
        writer.WriteArray(_episodeTicks);
        writer.WriteArray(_nextEpisodeStarts);
        _loop.WriteState(writer);
        StatefulEnvs.WriteState(writer);
    }

    private void ReadActing(BinaryReader reader)
    {
        reader.ReadHeader(ActingKey, ActingVersion);
        _acting = reader.ReadBoolean();
        if (!_acting)
        {
            return;
        }

        reader.ReadArray(_observations);
        if (ObservationNormalizer is not null)
        {
            reader.ReadArray(_seen);
        }

        if (_rewardNormalizer is not null)
        {
            reader.ReadArray(_rewardNormalizer.Returns);
        }

        reader.ReadArray(_episodeReturns);
        reader.ReadArray(_episodeTicks);
        reader.ReadArray(_nextEpisodeStarts);
        _loop.Resume(reader, Workers);
        StatefulEnvs.ReadState(reader);
    }

    private IStatefulEnv StatefulEnvs => _envs as IStatefulEnv
        ?? throw new NotSupportedException($"The vector env ({_envs.GetType().Name}) cannot save its state, so a checkpoint of this trainer could not continue the run exactly.");

    /// <summary>Acts for one rollout (the actor steps one tick per env step), then values every observation with the critic.</summary>
    private void CollectRollout()
    {
        var r = _rollout;
        var n = _o.NumEnvs;
        // The replay starts from the acting state as it is now; the episode starts of tick 0 carry over from the last rollout.
        _start = _actor.Snapshot(_start);
        for (var t = 0; t < r.Steps; t++)
        {
            _loop.Act(_seen, _random);
            ReadOnlySpan<float> criticInputs = Augmented ? _loop.CriticInputs : _seen;
            criticInputs.CopyTo(r.Row(r.CriticInputs, t, r.CriticInputSize));
            _loop.Inputs.CopyTo(r.Row(r.Inputs, t, r.InputSize));
            _loop.Actions.CopyTo(r.Row(r.Actions, t, r.ActionSize));
            _loop.LogProbs.CopyTo(r.Row(r.LogProbs, t, 1));
            r.Decided[t] = _loop.Decided;
            _envs.Step(_loop.EnvActions, _observations, _stepRewards, _stepTerminated, _stepTruncated);
            _ticks += n;
            Observe();
            ScaleRewards();
            for (var i = 0; i < n; i++)
            {
                var k = (t * n) + i;
                r.Rewards[k] = _scaledRewards[i];
                r.Terminated[k] = _stepTerminated[i];
                r.Truncated[k] = _stepTruncated[i] && !_stepTerminated[i];
                _episodeReturns[i] += _stepRewards[i];
                _episodeTicks[i]++;
                if (r.Truncated[k])
                {
                    // Bootstrap a time-limit cut from the value of the observation the episode really ended in.
                    CriticValues(NextCriticInput(i, SeenFinalObservation(i), _tailInputs), 1, r.NextValues.AsSpan(k, 1));
                }

                var ended = _stepTerminated[i] || _stepTruncated[i];
                if (ended)
                {
                    Observer?.OnEpisode(_ticks, _episodeReturns[i], _episodeTicks[i]);
                    (_episodeReturns[i], _episodeTicks[i]) = (0, 0);
                    _loop.EndEpisode(i);
                }

                if (t + 1 < r.Steps)
                {
                    r.EpisodeStarts[k + n] = ended;
                }
                else
                {
                    _nextEpisodeStarts[i] = ended;
                }
            }
        }

        // The critic is undelayed and unchanged during the rollout, so one batched pass values every tick.
        CriticValues(r.CriticInputs, r.Steps * n, r.Values);

        // Inside an episode the next state's value is the next row's; after the rollout it is V(x_T).
        var last = (r.Steps - 1) * n;
        for (var k = 0; k < last; k++)
        {
            if (!r.Truncated[k])
            {
                r.NextValues[k] = r.Values[k + n];
            }
        }

        for (var i = 0; i < n; i++)
        {
            NextCriticInput(i, _seen.AsSpan(i * _loop.ObservationSize, _loop.ObservationSize), _tailInputs.AsSpan(i * r.CriticInputSize, r.CriticInputSize));
        }

        CriticValues(_tailInputs, n, _tailValues);
        for (var i = 0; i < n; i++)
        {
            if (!r.Truncated[last + i])
            {
                r.NextValues[last + i] = _tailValues[i];
            }
        }
    }

    /// <summary>The authors' update: each epoch replays every env over the whole rollout from an instant start and takes one step, advantages normalised per tick.</summary>
    private PpoUpdateStats UpdateFullBatch()
    {
        var envs = Identity(_envOrder);
        // The authors divide the loss summed over ticks burn-in..T-1 by T - burn-in + 1.
        var scale = 1f / (_o.NumEnvs * (_o.NumSteps - _burnIn + 1));
        var total = default(WindowStats);
        for (var epoch = 0; epoch < _o.UpdateEpochs; epoch++)
        {
            var stats = TrainWindow(envs, start: null, _burnIn, scale, scale, perStepNormalization: true, firstStep: epoch == 0);
            total += stats;
            if (_o.TargetKl is { } limit && stats.ApproxKl / stats.Samples > limit)
            {
                break;
            }
        }

        return total.ToStats();
    }

    /// <summary>The minibatch update: each epoch shuffles the envs into chunks; each chunk is replayed from the rollout's start state and takes one step.</summary>
    private PpoUpdateStats UpdateMinibatches()
    {
        var order = Identity(_envOrder);
        var chunk = _o.NumEnvs / _o.NumMinibatches;
        var decided = Math.Max(1, _rollout.Decided.Count(d => d));
        var policyScale = 1f / (chunk * decided);
        var valueScale = 1f / (chunk * _o.NumSteps);
        var total = default(WindowStats);
        for (var epoch = 0; epoch < _o.UpdateEpochs; epoch++)
        {
            Shuffle(order);
            var epochStats = default(WindowStats);
            for (var start = 0; start < _o.NumEnvs; start += chunk)
            {
                epochStats += TrainWindow(order.AsSpan(start, chunk), _start, 0, policyScale, valueScale, perStepNormalization: false, firstStep: epoch == 0 && start == 0);
            }

            total += epochStats;
            if (_o.TargetKl is { } limit && epochStats.ApproxKl / epochStats.Samples > limit)
            {
                break;
            }
        }

        return total.ToStats();
    }

    /// <summary>
    /// One gradient step on the rollout of <paramref name="envs"/>: replay from <paramref name="start"/> (null: an instant
    /// start), PPO losses on ticks from <paramref name="burnIn"/> (the policy's on decided ticks only), clip, Adam.
    /// </summary>
    private WindowStats TrainWindow(ReadOnlySpan<int> envs, ActorSnapshot? start, int burnIn, float policyScale, float valueScale, bool perStepNormalization, bool firstStep)
    {
        var r = _rollout;
        int steps = r.Steps, b = envs.Length, outSize = _actor.OutputSize;
        if (_window is null || _window.Envs != b || _window.BurnIn != burnIn)
        {
            _window = new WindowBuffers(r, b, burnIn, outSize);
        }

        var w = _window;
        var inputs = Gather(r.Inputs, r.InputSize, envs, 0, w.Inputs).Span;
        var criticInputs = Gather(r.CriticInputs, r.CriticInputSize, envs, burnIn, w.CriticInputs);
        var advantages = GatherScalars(r.Advantages, envs, burnIn, w.Advantages);
        for (var t = 0; t < steps; t++)
        {
            for (var j = 0; j < b; j++)
            {
                w.EpisodeStarts[(t * b) + j] = r.EpisodeStarts[(t * _o.NumEnvs) + envs[j]];
            }
        }

        if (_o.NormalizeAdvantages)
        {
            if (perStepNormalization)
            {
                AdvantageNormalization.PerStep(advantages, b);
            }
            else
            {
                AdvantageNormalization.Batch(advantages);
            }
        }

        _tape.Workers = _updateThreads.Next(_workers);
        _tape.Reset();
        var outputs = _actor.Replay(_tape, inputs, steps, envs, start, w.EpisodeStarts, burnIn);
        var values = _critic.Forward(_tape, criticInputs);
        var outputValues = outputs.Value.Span;
        var valueValues = values.Value.Span;
        var gradOutputs = w.GradOutputs;
        var gradValues = w.GradValues;
        Array.Clear(gradOutputs);
        var stats = default(WindowStats);
        var replayError = 0.0;
        for (var t = burnIn; t < steps; t++)
        {
            for (var j = 0; j < b; j++)
            {
                var k = (t * _o.NumEnvs) + envs[j];
                var used = ((t - burnIn) * b) + j;
                float gradValue;
                var valueLoss = _o.ClipValueLoss
                    ? PpoLoss.ClippedValue(valueValues[used], r.Values[k], r.Returns[k], _o.ClipCoef, out gradValue)
                    : PpoLoss.Value(valueValues[used], r.Returns[k], out gradValue);
                gradValues[used] = _o.ValueCoef * gradValue * valueScale;
                if (!r.Decided[t])
                {
                    continue;
                }

                var output = outputValues.Slice(used * outSize, outSize);
                var action = r.Actions.AsSpan(k * r.ActionSize, r.ActionSize);
                var (logProb, entropy) = _policy.Evaluate(output, action);
                var policyLoss = PpoLoss.ClippedSurrogate(logProb, r.LogProbs[k], advantages[used], _o.ClipCoef, out var gradLogProb, out var clipped);
                _policy.Backward(output, action, gradLogProb * policyScale, -_o.EntropyCoef * policyScale, gradOutputs.AsSpan(used * outSize, outSize));
                replayError = Math.Max(replayError, Math.Abs(logProb - r.LogProbs[k]));
                stats += new WindowStats(1, policyLoss, valueLoss, entropy, PpoLoss.ApproxKl(logProb, r.LogProbs[k]), clipped ? 1 : 0, 0, 0);
            }
        }

        _adam.ZeroGrad();
        _tape.Backward(outputs, gradOutputs);
        _tape.Backward(values, gradValues);
        GradientClipping.ClipByGlobalNorm(_parameters, _o.MaxGradNorm);
        _adam.Step();
        _updateThreads.Done();
        return stats with { Steps = 1, ReplayError = firstStep ? replayError : 0 };
    }

    /// <summary>
    /// The burn-in of <paramref name="options"/>' update scheme: the minibatch replay starts from the saved acting state
    /// and needs none; the paper scheme's instant start is exact only after the actor's receptive window.
    /// </summary>
    private static int ValidBurnIn(PpoOptions options, IActorNetwork actor)
    {
        if (options.UpdateScheme != PpoUpdateScheme.Paper)
        {
            if (options.BurnIn is { } given && given != 0)
            {
                throw new ArgumentException($"A burn-in ({given}) applies to the paper update scheme only: the minibatch update replays each rollout exactly from its saved start state.");
            }

            return 0;
        }

        var burnIn = options.BurnIn ?? PaperBurnIn;
        if (actor.ReceptiveWindow is not { } window)
        {
            throw new ArgumentException("The actor's recurrence has no finite receptive window, so the paper scheme's replay from an instant start cannot match the rollout; use the minibatch update scheme.");
        }

        if (burnIn < window)
        {
            throw new ArgumentException($"A burn-in of {burnIn} ticks is shorter than the actor's receptive window ({window} ticks): the replayed actions would not be the ones taken; use a burn-in of at least {window}.");
        }

        return burnIn;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _tape.Dispose();
        _inferTape.Dispose();
        _actingState.Dispose();
    }

    private bool Augmented => _o.CriticInput == CriticInput.Augmented;

    /// <summary>The env's new observations join the statistics and are standardised into what the agent sees (when normalising).</summary>
    private void Observe() => ObservationNormalizer?.Update(_observations, _o.NumEnvs, _seen);

    /// <summary>The observation env <paramref name="env"/>'s episode ended in, as the agent would see it (standardised, not added to the statistics).</summary>
    private ReadOnlySpan<float> SeenFinalObservation(int env)
    {
        var final = _envs.FinalObservation(env);
        if (ObservationNormalizer is not { } normalizer)
        {
            return final;
        }

        normalizer.Normalize(final, _seenFinal);
        return _seenFinal;
    }

    /// <summary>The rewards of the step as the losses take them: scaled by the discounted return's running std when normalising.</summary>
    private void ScaleRewards()
    {
        if (_rewardNormalizer is null)
        {
            for (var i = 0; i < _o.NumEnvs; i++)
            {
                _scaledRewards[i] = (float)_stepRewards[i];
            }

            return;
        }

        for (var i = 0; i < _o.NumEnvs; i++)
        {
            _stepEnded[i] = _stepTerminated[i] || _stepTruncated[i];
        }

        _rewardNormalizer.Normalize(_stepRewards, _stepEnded, _scaledRewards);
    }

    private void CriticValues(ReadOnlySpan<float> inputs, int rows, Span<float> values)
    {
        _inferTape.Reset();
        var input = rows == 1 ? _criticSingle : rows == _o.NumEnvs ? _criticBatch : _criticRollout;
        input.CopyFrom(inputs[..(rows * _rollout.CriticInputSize)]);
        _critic.Forward(_inferTape, input).Value.Span.CopyTo(values);
    }

    /// <summary>The critic's input for the tick that observes <paramref name="observation"/> in env <paramref name="env"/> (its history as it stands), written into <paramref name="destination"/>.</summary>
    private ReadOnlySpan<float> NextCriticInput(int env, ReadOnlySpan<float> observation, Span<float> destination)
    {
        var row = destination[.._rollout.CriticInputSize];
        if (Augmented)
        {
            _loop.WriteHistoryInput(env, observation, row);
        }
        else
        {
            observation.CopyTo(row);
        }

        return row;
    }

    /// <summary>Rows of <paramref name="envs"/> for ticks from <paramref name="fromStep"/>, tick-major, as a [ticks · envs, width] tensor.</summary>
    private Tensor Gather(float[] buffer, int width, ReadOnlySpan<int> envs, int fromStep, Tensor destination)
    {
        var steps = _rollout.Steps - fromStep;
        var data = destination.Span;
        for (var t = 0; t < steps; t++)
        {
            for (var j = 0; j < envs.Length; j++)
            {
                buffer.AsSpan((((t + fromStep) * _o.NumEnvs) + envs[j]) * width, width).CopyTo(data.Slice(((t * envs.Length) + j) * width, width));
            }
        }

        return destination;
    }

    private float[] GatherScalars(float[] buffer, ReadOnlySpan<int> envs, int fromStep, float[] data)
    {
        var steps = _rollout.Steps - fromStep;
        for (var t = 0; t < steps; t++)
        {
            for (var j = 0; j < envs.Length; j++)
            {
                data[(t * envs.Length) + j] = buffer[((t + fromStep) * _o.NumEnvs) + envs[j]];
            }
        }

        return data;
    }

    /// <summary>Sets <paramref name="order"/> to 0, 1, ..., n - 1 (each update shuffles from there, as a fresh range would).</summary>
    private static int[] Identity(int[] order)
    {
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        return order;
    }

    private void Shuffle(int[] order)
    {
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = _random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    /// <summary>The gathered inputs and gradient buffers of a window of <see cref="Envs"/> envs, reused while its size stays.</summary>
    private sealed class WindowBuffers(PpoRollout r, int envs, int burnIn, int outputSize)
    {
        public int Envs { get; } = envs;

        public int BurnIn { get; } = burnIn;

        public Tensor Inputs { get; } = Tensor.Zeros(r.Steps * envs, r.InputSize);

        public Tensor CriticInputs { get; } = Tensor.Zeros((r.Steps - burnIn) * envs, r.CriticInputSize);

        public float[] Advantages { get; } = new float[(r.Steps - burnIn) * envs];

        public float[] GradOutputs { get; } = new float[(r.Steps - burnIn) * envs * outputSize];

        public float[] GradValues { get; } = new float[(r.Steps - burnIn) * envs];

        public bool[] EpisodeStarts { get; } = new bool[r.Steps * envs];
    }

    /// <summary>Sums of per-sample losses over the samples of some windows, and the number of gradient steps.</summary>
    private readonly record struct WindowStats(int Samples, double PolicyLoss, double ValueLoss, double Entropy, double ApproxKl, double Clipped, int Steps, double ReplayError)
    {
        public static WindowStats operator +(WindowStats a, WindowStats b) => new(
            a.Samples + b.Samples,
            a.PolicyLoss + b.PolicyLoss,
            a.ValueLoss + b.ValueLoss,
            a.Entropy + b.Entropy,
            a.ApproxKl + b.ApproxKl,
            a.Clipped + b.Clipped,
            a.Steps + b.Steps,
            Math.Max(a.ReplayError, b.ReplayError));

        public PpoUpdateStats ToStats() => Samples == 0
            ? default
            : new(0, PolicyLoss / Samples, ValueLoss / Samples, Entropy / Samples, ApproxKl / Samples, Clipped / Samples, 0, Steps, ReplayError);
    }
}
