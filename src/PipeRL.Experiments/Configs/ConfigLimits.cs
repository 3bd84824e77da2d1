using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using PipeRL.Experiments.Training;

namespace PipeRL.Experiments.Configs;

/// <summary>
/// The ranges a <see cref="TrainConfig"/> must lie in so that the run can be carried out to the end: every value set,
/// every float finite, seeds and counts small enough that no seed, tick or env-step count overflows and that the
/// evaluation fits in memory. Checked before any run folder is created.
/// </summary>
public static class ConfigLimits
{
    /// <summary>The largest seed: env i trains with seed + i and evaluates with seed + 1,000,000 + i, all within int32.</summary>
    public const int MaxSeed = 1_000_000_000;

    /// <summary>The largest training budget in ticks.</summary>
    public const long MaxSteps = 1_000_000_000_000;

    /// <summary>The most ticks one rollout (num-envs x num-steps) may hold.</summary>
    public const int MaxRolloutTicks = 1 << 24;

    /// <summary>The most evaluation episodes: they run at once, one env each.</summary>
    public const int MaxEvalEpisodes = 10_000;

    /// <summary>The most threads (the worker pool's limit).</summary>
    public const int MaxThreads = 256;

    /// <summary>The longest tick, in env steps per tick (τ = k) or ticks per env step (τ = 1/m).</summary>
    public const int MaxTau = 10_000;

    /// <summary>The longest run name in UTF-8 bytes, leaving room for a "-N" suffix under the file system's 255.</summary>
    public const int MaxNameBytes = 200;

    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>Throws a <see cref="UserInputException"/> naming the first setting of <paramref name="config"/> outside its range.</summary>
    public static void Check(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        RequireSet(config, string.Empty);
        Algorithms.RequireKnown(config.Algo);
        var options = config.Options;
        RequireSet(options, config.Algo + ".");
        RequireFinite(options, config.Algo + ".");

        Require(
            config.Tau.EnvStepsPerTick is >= 1 and <= MaxTau && config.Tau.TicksPerEnvStep is >= 1 and <= MaxTau,
            $"tau {config.Tau} is outside the supported range: k or 1/m with k, m from 1 to {MaxTau:N0}.");
        Require(config.Seed is >= 0 and <= MaxSeed, $"seed must lie in [0, {MaxSeed:N0}] (env i uses seed + i, evaluation seed + 1,000,000 + i); got {config.Seed}.");
        var update = options.TicksPerUpdate;
        Require(
            update < 1 || update <= MaxRolloutTicks,
            $"{Capitalized(options.UpdateDescription)} is more than {MaxRolloutTicks:N0}; lower it.");
        Require(config.Steps <= MaxSteps, $"steps must be at most {MaxSteps:N0} ticks; got {config.Steps}.");
        if (update is >= 1 and <= MaxRolloutTicks)
        {
            Require(config.Steps >= update, $"steps ({config.Steps}) must cover at least one update: {options.UpdateDescription}.");
            Require(
                config.Steps / update <= int.MaxValue,
                $"steps ({config.Steps}) would take {config.Steps / update:N0} updates of {update} ticks, more than {int.MaxValue:N0}; make the updates longer.");
        }

        Require(config.EvalEpisodes is >= 0 and <= MaxEvalEpisodes, $"eval-episodes must lie in [0, {MaxEvalEpisodes:N0}] (the episodes run at once); got {config.EvalEpisodes}.");
        Require(config.EvalEvery >= 0, $"eval-every must be a number of ticks >= 1, or 0 to evaluate only at the end; got {config.EvalEvery}.");
        Require(config.EvalEveryEpisodes is >= 1 and <= MaxEvalEpisodes, $"eval-every-episodes must lie in [1, {MaxEvalEpisodes:N0}] (the episodes run at once); got {config.EvalEveryEpisodes}.");
        Require(config.CheckpointEvery >= 0, $"checkpoint-every must be a number of updates >= 1, or 0 for every tenth of the run; got {config.CheckpointEvery}.");
        Require(config.Threads is >= 1 and <= MaxThreads, $"threads must lie in [1, {MaxThreads}]; got {config.Threads}.");
        var name = config.ResolvedName;
        Require(
            name.IndexOfAny(['/', '\\', '\0']) < 0 && name is not ("." or ".."),
            $"Run name '{name}' must be a plain folder name (no slashes).");
        Require(
            Encoding.UTF8.GetByteCount(name) <= MaxNameBytes,
            $"Run name '{Shorten(name)}' is {Encoding.UTF8.GetByteCount(name)} bytes long; at most {MaxNameBytes} fit a folder name.");
    }

    /// <summary>Every non-nullable reference property of <paramref name="value"/> must be set (a JSON null leaves it null).</summary>
    private static void RequireSet(object value, string prefix)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.PropertyType.IsValueType || !property.CanWrite || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            if (property.GetValue(value) is null && Nullability.Create(property).ReadState == NullabilityState.NotNull)
            {
                throw new UserInputException($"Config key '{prefix}{JsonNamingPolicy.CamelCase.ConvertName(property.Name)}' is null; give it a value or leave it out for the default.");
            }
        }
    }

    /// <summary>Every float and double property of <paramref name="value"/> must be finite (1e308 read as a float is infinite).</summary>
    private static void RequireFinite(object value, string prefix)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var number = property.GetValue(value) switch
            {
                float f => (double)f,
                double d => d,
                _ => 0.0,
            };
            if (!double.IsFinite(number))
            {
                var key = prefix + JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                throw new UserInputException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Config key '{key}' must be a finite number (a float32 holds at most 3.4e38); got {number}."));
            }
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new UserInputException(message);
        }
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Shorten(string name) => name.Length <= 40 ? name : name[..37] + "...";
}
