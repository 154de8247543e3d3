namespace Cairn.Server.Web.Charts;

/// <summary>What the x axis of a metric chart measures.</summary>
public enum XAxisKind
{
    Step,
    WallTime,
    RelativeTime,
}

/// <summary>How every metric chart on a page is drawn; one bar of controls sets it for all of them.</summary>
public sealed record ChartOptions(XAxisKind Axis = XAxisKind.Step, bool LogY = false, double Smoothing = 0)
{
    public const int MaxPoints = 1000;
}

/// <summary>A run whose series a chart draws: its id, the name in the legend, and its start (for relative time).</summary>
public sealed record ChartRun(string Id, string Name, long StartTime);
