using System.Text.Json;
using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Registry;

/// <summary>
/// <c>GET /api/v1/registry/events</c>: the audit trail, newest first, optionally for one model (by its current or a
/// former name), one version, one alias or one action.
/// </summary>
public static class RegistryEventsApi
{
    public static RouteGroupBuilder MapRegistryEvents(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/registry").AddEndpointFilter<MlflowErrors>().WithTags("Registry");
        group.MapGet("/events", ListAsync).WithName("ListRegistryEvents");
        return group;
    }

    public sealed class EventsRequest
    {
        public string? Name { get; set; }
        public string? Version { get; set; }
        public string? Alias { get; set; }
        public string? Action { get; set; }
        public long? MaxResults { get; set; }
        public string? PageToken { get; set; }
    }

    public sealed record EventJson(
        long Id, long Timestamp, string Actor, string Action, string ModelName, string? Version, string? Alias, JsonElement? Before, JsonElement? After);

    private static async Task<IResult> ListAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<EventsRequest>(http);
        var pageSize = request.MaxResults ?? 100;
        if (pageSize is < 1 or > 1000)
        {
            throw MlflowException.InvalidParameter($"Invalid value {pageSize} for parameter 'max_results' supplied. It must be between 1 and 1000.");
        }

        if (request.Action is { } action && !RegistryActions.All.Contains(action))
        {
            throw MlflowException.InvalidParameter($"Invalid value \"{action}\" for parameter 'action' supplied: expected one of {string.Join(", ", RegistryActions.All)}.");
        }

        var offset = PageToken.Decode(request.PageToken);
        var page = await Query(db, request).OrderByDescending(e => e.Id).Skip(offset).Take((int)pageSize).ToListAsync(http.RequestAborted);
        var events = page.Select(Json).ToList();
        return Results.Json(new { events = events.Count == 0 ? null : events, next_page_token = PageToken.Next(offset, (int)pageSize, page.Count) }, MlflowJson.Options);
    }

    /// <summary>Events matching the request; a model's events are found through its id, so they follow it across renames.</summary>
    public static IQueryable<RegistryEvent> Query(CairnDb db, EventsRequest request)
    {
        var query = db.RegistryEvents.AsNoTracking();
        if (!string.IsNullOrEmpty(request.Name))
        {
            var name = request.Name;
            var ids = db.RegistryEvents.Where(e => e.ModelName == name).Select(e => e.ModelId).Distinct();
            query = query.Where(e => ids.Contains(e.ModelId));
        }

        if (!string.IsNullOrEmpty(request.Version))
        {
            var version = RegistryRules.Version(request.Version);
            query = query.Where(e => e.Version == version);
        }

        if (!string.IsNullOrEmpty(request.Alias))
        {
            var alias = request.Alias;
            query = query.Where(e => e.Alias == alias);
        }

        if (!string.IsNullOrEmpty(request.Action))
        {
            var action = request.Action;
            query = query.Where(e => e.Action == action);
        }

        return query;
    }

    public static EventJson Json(RegistryEvent e) => new(
        e.Id,
        e.Time,
        e.Actor,
        e.Action,
        e.ModelName,
        e.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        e.Alias,
        Parse(e.Before),
        Parse(e.After));

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
