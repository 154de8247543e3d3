using Cairn.Client.Transport;

namespace Cairn.Client.Experiments;

/// <summary>An experiment: a named group of runs.</summary>
/// <param name="Id">The experiment id (a string of digits, as MLflow has it).</param>
/// <param name="Name">The unique name.</param>
/// <param name="ArtifactLocation">Where its runs' artifacts go, such as <c>mlflow-artifacts:/3</c>.</param>
/// <param name="IsDeleted">Whether it is deleted (and can be restored).</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="Tags">Its tags.</param>
public sealed record Experiment(
    string Id, string Name, string ArtifactLocation, bool IsDeleted, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyDictionary<string, string> Tags)
{
    internal static Experiment From(WireExperiment e) => new(
        e.ExperimentId,
        e.Name,
        e.ArtifactLocation ?? "",
        e.LifecycleStage == "deleted",
        WireTime.From(e.CreationTime),
        WireTime.From(e.LastUpdateTime),
        WireTime.Map(e.Tags));
}
