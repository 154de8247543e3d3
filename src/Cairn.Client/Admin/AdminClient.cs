using Cairn.Client.Transport;

namespace Cairn.Client.Admin;

/// <summary>One run garbage collection looked at, with the files it held; <see cref="KeptBecause"/> says why it stayed, if it did.</summary>
public sealed record CollectedRun(string RunId, string RunName, DateTimeOffset DeletedAt, long Files, long Bytes, string? KeptBecause);

/// <summary>What garbage collection removed (or, in a dry run, would remove).</summary>
public sealed record GarbageReport(IReadOnlyList<CollectedRun> Runs, long FreedFiles, long FreedBytes, bool DryRun);

/// <summary>Server upkeep, as <c>mlflow gc</c> offers it.</summary>
public sealed class AdminClient
{
    private readonly MlflowTransport _transport;

    internal AdminClient(MlflowTransport transport) => _transport = transport;

    /// <summary>
    /// Removes runs deleted more than <paramref name="olderThan"/> ago (all deleted runs for zero), with their
    /// artifacts and metrics. Runs whose files back a registered model version are kept and reported.
    /// </summary>
    public async Task<GarbageReport> CollectGarbageAsync(TimeSpan olderThan, bool dryRun = false, IReadOnlyCollection<string>? runIds = null, CancellationToken cancellationToken = default)
    {
        var wire = await _transport.PostNativeAsync<GcWire>(
            "admin/gc", new { older_than_seconds = (long)olderThan.TotalSeconds, dry_run = dryRun, run_ids = runIds }, cancellationToken);
        return new GarbageReport(
            [.. (wire.Runs ?? []).Select(r => new CollectedRun(r.RunId, r.RunName, DateTimeOffset.FromUnixTimeMilliseconds(r.DeletedTime), r.Files, r.Bytes, r.KeptBecause))],
            wire.FreedFiles,
            wire.FreedBytes,
            wire.DryRun);
    }

    private sealed record GcWire(List<GcRunWire>? Runs, long FreedFiles, long FreedBytes, bool DryRun);

    private sealed record GcRunWire(string RunId, string RunName, long DeletedTime, long Files, long Bytes, string? KeptBecause);
}
