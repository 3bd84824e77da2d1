using PipeRL.Experiments.Training;

namespace PipeRL.Experiments.Studies;

/// <summary>One run of a study: the actor's label and the validated training plan (its config names the run folder).</summary>
/// <param name="Label">The actor's label in the study.</param>
/// <param name="Plan">The run's validated plan.</param>
public sealed record StudyEntry(string Label, TrainPlan Plan)
{
    /// <summary>The run folder's name: env, actor label, τ and seed.</summary>
    public string Name => Plan.Config.Name;
}
