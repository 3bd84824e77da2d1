using System.ComponentModel;
using PipeRL.Agents.Acting;
using PipeRL.Pipeline.Catalogue;
using PipeRL.Pipeline.Execution;

namespace PipeRL.Experiments.Configs;

/// <summary>How the run's actor is wired and acts, beyond its architecture's name (config section <c>actor</c>).</summary>
public sealed record ActorConfig
{
    /// <summary>The default settings.</summary>
    public static ActorConfig Default { get; } = new();

    /// <summary>The execution mode, or null for the architecture's own.</summary>
    [Description("Run the architecture's graph instant (whole graph per tick, no delay), pipelined (one layer per tick) or sequential (a new action every N ticks from the observation N ticks old, held meanwhile); default: the architecture's own (instant for 'instant', sequential for 'sequential', pipelined otherwise).")]
    public ExecutionMode? Execution { get; init; }

    /// <summary>Past actions appended to the observation, or null for the architecture's default.</summary>
    [Description("Past actions K appended to the actor's input (one-hot for discrete actions); default: the architecture's (2 for MLPs and 1 for CNNs in temporal-skip-aug, 1 in cnn-skipres-aug, 0 elsewhere).")]
    public int? History { get; init; }

    /// <summary>Which K actions the input carries.</summary>
    [Description("Which K actions a delayed actor's input carries: in-flight [o_t; a_(t-K+1)..a_t], including the action applied while the network computes, or authors [o_t; a_(t-K)..a_(t-1)], the authors' window, one action short.")]
    public HistoryWindow HistoryWindow { get; init; } = HistoryWindow.InFlight;

    /// <summary>What happens to an env's layer values when its episode ends.</summary>
    [Description("What the pipeline's layer values do when an env's episode ends: carry (into the next episode, as the authors and a physical pipeline) or reset (to zero).")]
    public EpisodeBoundary EpisodeBoundary { get; init; } = EpisodeBoundary.Carry;

    /// <summary>In <c>hidden-to-head</c>, also feed the observation to the head.</summary>
    [Description("In hidden-to-head, also feed the observation to the head (the authors' ActorSlowSkip, minimum delay 1).")]
    public bool ObservationToHead { get; init; }

    /// <summary>Throws a <see cref="UserInputException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (History is < 0)
        {
            throw new UserInputException($"history must be a number of actions >= 0, got {History}.");
        }
    }
}
