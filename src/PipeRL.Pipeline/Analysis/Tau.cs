using System.Globalization;

namespace PipeRL.Pipeline.Analysis;

/// <summary>
/// The length of a tick in environment steps: τ = k (each action is repeated for k env steps) or τ = 1/m
/// (the network runs m ticks per env step, the observation is held and the last tick's action is applied).
/// </summary>
public readonly record struct Tau
{
    private Tau(int envStepsPerTick, int ticksPerEnvStep)
    {
        EnvStepsPerTick = envStepsPerTick;
        TicksPerEnvStep = ticksPerEnvStep;
    }

    /// <summary>τ = 1: one tick per environment step.</summary>
    public static Tau One => new(1, 1);

    /// <summary>k in τ = k (1 when τ = 1/m).</summary>
    public int EnvStepsPerTick { get; }

    /// <summary>m in τ = 1/m (1 when τ = k).</summary>
    public int TicksPerEnvStep { get; }

    /// <summary>τ as a number of environment steps.</summary>
    public double Value => (double)EnvStepsPerTick / TicksPerEnvStep;

    /// <summary>τ = <paramref name="k"/> environment steps per tick.</summary>
    public static Tau Steps(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return new Tau(k, 1);
    }

    /// <summary>τ = 1/<paramref name="m"/>: m ticks per environment step.</summary>
    public static Tau Fraction(int m)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        return new Tau(1, m);
    }

    /// <summary>Parses "k" (an integer ≥ 1), "1/m" or a decimal whose inverse is an integer (0.5 = 1/2).</summary>
    public static Tau Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.StartsWith("1/", StringComparison.Ordinal)
            && int.TryParse(trimmed.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m >= 1)
        {
            return Fraction(m);
        }

        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k >= 1)
        {
            return Steps(k);
        }

        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && value < 1)
        {
            var inverse = Math.Round(1 / value);
            if (Math.Abs((1 / value) - inverse) < 1e-9)
            {
                return Fraction((int)inverse);
            }
        }

        throw new FormatException($"tau '{text}' is not a tick length; use an integer k >= 1 (k env steps per tick) or 1/m (m ticks per env step).");
    }

    /// <summary>The duration of <paramref name="ticks"/> ticks in environment steps (a fraction when τ = 1/m).</summary>
    public double EnvSteps(int ticks) => (double)ticks * EnvStepsPerTick / TicksPerEnvStep;

    /// <summary>
    /// How many env steps after an observation the first action that depends on it is applied, for a delay of
    /// <paramref name="ticks"/>: k·d for τ = k, ⌊d/m⌋ for τ = 1/m (the last of the m ticks picks the action).
    /// </summary>
    public int ActionDelayInEnvSteps(int ticks) => ticks * EnvStepsPerTick / TicksPerEnvStep;

    /// <summary>
    /// "d ticks = x env steps" for a delay of <paramref name="ticks"/> (x a fraction when τ = 1/m), as the run's
    /// header and progress line show it.
    /// </summary>
    public string DescribeTicks(int ticks)
    {
        var envSteps = EnvSteps(ticks);
        return string.Create(CultureInfo.InvariantCulture, $"{ticks} tick{(ticks == 1 ? string.Empty : "s")} = {envSteps:0.###} env step{(envSteps == 1 ? string.Empty : "s")}");
    }

    /// <inheritdoc/>
    public override string ToString() => TicksPerEnvStep == 1
        ? EnvStepsPerTick.ToString(CultureInfo.InvariantCulture)
        : $"1/{TicksPerEnvStep.ToString(CultureInfo.InvariantCulture)}";
}
