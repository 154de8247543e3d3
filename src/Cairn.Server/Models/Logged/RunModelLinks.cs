namespace Cairn.Server.Models.Logged;

/// <summary>A logged model a run produced (<c>runs/outputs</c>), at a step; listed in the run's <c>outputs.model_outputs</c>.</summary>
public sealed class RunModelOutput
{
    public int Id { get; set; }
    public int RunId { get; set; }
    public int LoggedModelId { get; set; }
    public LoggedModel LoggedModel { get; set; } = null!;
    public long Step { get; set; }
}

/// <summary>A logged model a run used (<c>log-inputs</c> with <c>models</c>); listed in the run's <c>inputs.model_inputs</c>.</summary>
public sealed class RunModelInput
{
    public int Id { get; set; }
    public int RunId { get; set; }
    public int LoggedModelId { get; set; }
    public LoggedModel LoggedModel { get; set; } = null!;
}
