using Cairn.Client.Experiments;
using Cairn.Client.Transport;

namespace Cairn.Client.Runs;

/// <summary>Runs: start, log to, read, search, end, delete and restore.</summary>
public sealed class RunsClient
{
    private const int HistoryPageSize = 25_000;
    private readonly MlflowTransport _transport;

    internal RunsClient(MlflowTransport transport) => _transport = transport;

    /// <summary>
    /// Starts a run and returns a scope that logs to it: metrics are buffered and sent in the background,
    /// and disposing the scope flushes them and ends the run (Finished, or Failed after <see cref="RunScope.Fail"/>).
    /// </summary>
    public async Task<RunScope> StartAsync(
        string experimentId, string? runName = null, IReadOnlyDictionary<string, string>? tags = null, string? parentRunId = null,
        RunScopeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var run = await CreateAsync(experimentId, runName, tags, parentRunId, cancellationToken: cancellationToken);
        return new RunScope(this, run, options ?? new RunScopeOptions());
    }

    /// <summary>Creates a run in <paramref name="experimentId"/>; <paramref name="parentRunId"/> makes it a nested run.</summary>
    public async Task<Run> CreateAsync(
        string experimentId, string? runName = null, IReadOnlyDictionary<string, string>? tags = null, string? parentRunId = null,
        DateTimeOffset? startTime = null, CancellationToken cancellationToken = default)
    {
        var allTags = new Dictionary<string, string>(tags ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (parentRunId is not null)
        {
            allTags["mlflow.parentRunId"] = parentRunId;
        }

        var answer = await _transport.PostAsync<RunAnswer>("runs/create", new
        {
            experiment_id = experimentId,
            run_name = runName,
            start_time = WireTime.Of(startTime ?? DateTimeOffset.UtcNow),
            tags = WireTime.Pairs(allTags),
        }, cancellationToken);
        return Run.From(answer.Run);
    }

    /// <summary>Gets a run by id.</summary>
    public async Task<Run> GetAsync(string runId, CancellationToken cancellationToken = default) =>
        Run.From((await _transport.GetAsync<RunAnswer>("runs/get", [("run_id", runId)], cancellationToken)).Run);

    /// <summary>One page of the runs of <paramref name="experimentIds"/> matching <paramref name="filter"/> (MLflow's search grammar).</summary>
    public async Task<Page<Run>> SearchAsync(
        IReadOnlyList<string> experimentIds, string? filter = null, IReadOnlyList<string>? orderBy = null, int maxResults = 1000,
        string? pageToken = null, ViewType viewType = ViewType.ActiveOnly, CancellationToken cancellationToken = default)
    {
        var answer = await _transport.PostAsync<RunsAnswer>("runs/search", new
        {
            experiment_ids = experimentIds,
            filter,
            order_by = orderBy,
            max_results = maxResults,
            page_token = pageToken,
            run_view_type = viewType.Name(),
        }, cancellationToken);
        return new Page<Run>([.. (answer.Runs ?? []).Select(Run.From)], ExperimentsClient.NullIfEmpty(answer.NextPageToken));
    }

    /// <summary>Every run matching the search, following the pages.</summary>
    public IAsyncEnumerable<Run> SearchAllAsync(
        IReadOnlyList<string> experimentIds, string? filter = null, IReadOnlyList<string>? orderBy = null, ViewType viewType = ViewType.ActiveOnly,
        CancellationToken cancellationToken = default) =>
        Pages.FollowAsync((token, ct) => SearchAsync(experimentIds, filter, orderBy, 1000, token, viewType, ct), cancellationToken);

    /// <summary>Every point of one metric of a run, in step order.</summary>
    public async Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string key, CancellationToken cancellationToken = default)
    {
        var points = new List<Metric>();
        string? token = null;
        do
        {
            var page = await _transport.GetAsync<MetricsAnswer>("metrics/get-history",
                [("run_id", runId), ("metric_key", key), ("max_results", HistoryPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("page_token", token)],
                cancellationToken);
            points.AddRange((page.Metrics ?? []).Select(Metric.From));
            token = ExperimentsClient.NullIfEmpty(page.NextPageToken);
        }
        while (token is not null);
        return points;
    }

    /// <summary>Logs metrics, params and tags in one request (at most 1,000 metrics, 100 params, 100 tags), written all or nothing.</summary>
    public Task LogBatchAsync(
        string runId, IReadOnlyList<Metric>? metrics = null, IReadOnlyDictionary<string, string>? parameters = null,
        IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default) =>
        _transport.PostAsync("runs/log-batch", new
        {
            run_id = runId,
            metrics = (metrics ?? []).Select(m => new { key = m.Key, value = m.Value, timestamp = WireTime.Of(m.Timestamp), step = m.Step }).ToArray(),
            @params = WireTime.Pairs(parameters),
            tags = WireTime.Pairs(tags),
        }, cancellationToken);

    /// <summary>Logs one parameter; logging a different value for a key already logged fails.</summary>
    public Task LogParamAsync(string runId, string key, string value, CancellationToken cancellationToken = default) =>
        _transport.PostAsync("runs/log-parameter", new { run_id = runId, key, value }, cancellationToken);

    /// <summary>Sets (or overwrites) a tag on a run.</summary>
    public Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken = default) =>
        _transport.PostAsync("runs/set-tag", new { run_id = runId, key, value }, cancellationToken);

    /// <summary>Ends a run with <paramref name="status"/> at <paramref name="endTime"/> (now if null).</summary>
    public Task EndAsync(string runId, RunStatus status = RunStatus.Finished, DateTimeOffset? endTime = null, CancellationToken cancellationToken = default) =>
        _transport.PostAsync("runs/update", new
        {
            run_id = runId,
            status = status.ToString().ToUpperInvariant(),
            end_time = WireTime.Of(endTime ?? DateTimeOffset.UtcNow),
        }, cancellationToken);

    /// <summary>Deletes a run softly; <see cref="RestoreAsync"/> brings it back.</summary>
    public Task DeleteAsync(string runId, CancellationToken cancellationToken = default) =>
        _transport.PostAsync("runs/delete", new { run_id = runId }, cancellationToken);

    /// <summary>Restores a deleted run.</summary>
    public Task RestoreAsync(string runId, CancellationToken cancellationToken = default) =>
        _transport.PostAsync("runs/restore", new { run_id = runId }, cancellationToken);
}
