using System.Globalization;
using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Webhooks;

/// <summary>
/// <c>/api/v1/webhooks</c>: create, list, get, update (PATCH) and delete subscriptions to registry events, read a
/// webhook's delivery log, and queue a test delivery. Errors answer MLflow's <c>{"error_code", "message"}</c>. Nothing
/// here sends: deliveries are rows the <see cref="WebhookDispatcher"/> sends in the background.
/// </summary>
public static class WebhooksApi
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/webhooks")
            .AddEndpointFilter<MlflowErrors>()
            .WithMetadata(new RequestSizeLimitAttribute(256 * 1024))
            .WithTags("Webhooks");
        group.MapPost("", CreateAsync).WithName("CreateWebhook");
        group.MapGet("", ListAsync).WithName("ListWebhooks");
        group.MapGet("/{id}", GetAsync).WithName("GetWebhook");
        group.MapPatch("/{id}", UpdateAsync).WithName("UpdateWebhook");
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteWebhook");
        group.MapGet("/{id}/deliveries", ListDeliveriesAsync).WithName("ListWebhookDeliveries");
        group.MapPost("/{id}/test", TestAsync).WithName("TestWebhook");
        return group;
    }

    /// <summary>The fields of create and update; on update, a field left out keeps its value.</summary>
    public sealed class WebhookRequest
    {
        public string? Name { get; set; }
        public string? Url { get; set; }
        public List<string?>? Events { get; set; }
        public string? Secret { get; set; }
        public string? Description { get; set; }
        public string? Status { get; set; }
    }

    public sealed class DeliveriesRequest
    {
        public int? MaxResults { get; set; }
        public string? PageToken { get; set; }
    }

    public sealed class TestRequest
    {
        public string? Event { get; set; }
    }

    private static async Task<JsonHttpResult<WebhookResponse>> CreateAsync(HttpContext http, CairnDb db, TimeProvider clock, IOptions<WebhookOptions> options, WebhookSecrets secrets)
    {
        var request = await MlflowRequest.ReadAsync<WebhookRequest>(http);
        var secret = request.Secret is null ? WebhookSignature.NewSecret() : WebhookRules.Secret(request.Secret);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var webhook = new Webhook
        {
            Id = Guid.NewGuid().ToString("N"),
            Name = WebhookRules.Name(request.Name),
            Url = WebhookRules.Url(request.Url, options.Value.AllowPrivateNetworks),
            Events = WebhookRules.Events(request.Events),
            Secret = secrets.Protect(secret),
            Description = WebhookRules.Description(request.Description),
            Status = request.Status is null ? WebhookStatus.Active : WebhookRules.Status(request.Status),
            CreationTime = now,
            LastUpdatedTime = now,
        };

        // One transaction: no event can land between reading the newest id and the webhook existing.
        await using var transaction = await db.BeginSerializedAsync(Registry.RegistryChange.Scope, http.RequestAborted);
        webhook.AfterEventId = await db.RegistryEvents.MaxAsync(e => (long?)e.Id, http.RequestAborted) ?? 0;
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync(http.RequestAborted);
        await transaction.CommitAsync(http.RequestAborted);
        http.Response.Headers.Location = $"{http.Request.PathBase}/api/v1/webhooks/{webhook.Id}";
        return Json(new WebhookResponse(WebhookWire.From(webhook, plainSecret: secret)), StatusCodes.Status201Created);
    }

    private static async Task<JsonHttpResult<WebhookListResponse>> ListAsync(CairnDb db, CancellationToken cancellationToken)
    {
        var webhooks = await db.Webhooks.AsNoTracking().OrderBy(w => w.CreationTime).ThenBy(w => w.Id).ToListAsync(cancellationToken);
        return Json(new WebhookListResponse([.. webhooks.Select(w => WebhookWire.From(w))]));
    }

    private static async Task<JsonHttpResult<WebhookResponse>> GetAsync(string id, CairnDb db, CancellationToken cancellationToken)
    {
        var webhook = await db.Webhooks.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id, cancellationToken) ?? throw NotFound(id);
        return Json(new WebhookResponse(WebhookWire.From(webhook)));
    }

    private static async Task<JsonHttpResult<WebhookResponse>> UpdateAsync(string id, HttpContext http, CairnDb db, TimeProvider clock, IOptions<WebhookOptions> options, WebhookSecrets secrets)
    {
        var request = await MlflowRequest.ReadAsync<WebhookRequest>(http);
        var webhook = await db.Webhooks.SingleOrDefaultAsync(w => w.Id == id, http.RequestAborted) ?? throw NotFound(id);
        webhook.Name = request.Name is null ? webhook.Name : WebhookRules.Name(request.Name);
        webhook.Url = request.Url is null ? webhook.Url : WebhookRules.Url(request.Url, options.Value.AllowPrivateNetworks);
        webhook.Events = request.Events is null ? webhook.Events : WebhookRules.Events(request.Events);
        webhook.Secret = request.Secret is null ? webhook.Secret : secrets.Protect(WebhookRules.Secret(request.Secret));
        webhook.Description = request.Description is null ? webhook.Description : WebhookRules.Description(request.Description);
        webhook.Status = request.Status is null ? webhook.Status : WebhookRules.Status(request.Status);
        webhook.LastUpdatedTime = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(http.RequestAborted);
        return Json(new WebhookResponse(WebhookWire.From(webhook)));
    }

    /// <summary>Deletes the webhook with its deliveries and their log.</summary>
    private static async Task<JsonHttpResult<object>> DeleteAsync(string id, CairnDb db, CancellationToken cancellationToken)
    {
        var deleted = await db.Webhooks.Where(w => w.Id == id).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? throw NotFound(id) : Json<object>(new { });
    }

    /// <summary>The delivery log, newest first: each delivery with every attempt's time, HTTP status, duration and error.</summary>
    private static async Task<JsonHttpResult<DeliveryListResponse>> ListDeliveriesAsync(string id, HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<DeliveriesRequest>(http);
        var pageSize = request.MaxResults ?? DefaultPageSize;
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw MlflowException.InvalidParameter($"Invalid value {pageSize} for parameter 'max_results': it must be between 1 and {MaxPageSize}.");
        }

        var before = long.MaxValue;
        if (request.PageToken is { } token && (!long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out before) || before <= 0))
        {
            throw MlflowException.InvalidParameter($"Invalid value '{token}' for parameter 'page_token'.");
        }

        if (!await db.Webhooks.AnyAsync(w => w.Id == id, http.RequestAborted))
        {
            throw NotFound(id);
        }

        var page = await db.WebhookDeliveries.AsNoTracking()
            .Include(d => d.Attempts)
            .Where(d => d.WebhookId == id && d.Id < before)
            .OrderByDescending(d => d.Id)
            .Take(pageSize + 1)
            .AsSplitQuery()
            .ToListAsync(http.RequestAborted);
        var next = page.Count > pageSize ? page[pageSize - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return Json(new DeliveryListResponse([.. page.Take(pageSize).Select(DeliveryWire.From)], next));
    }

    /// <summary>Queues an example event (the one named, else the webhook's first) and answers at once; the log shows how it went.</summary>
    private static async Task<JsonHttpResult<DeliveryResponse>> TestAsync(string id, HttpContext http, CairnDb db, TimeProvider clock, WebhookDispatcher dispatcher)
    {
        var request = await MlflowRequest.ReadAsync<TestRequest>(http);
        var webhook = await db.Webhooks.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id, http.RequestAborted) ?? throw NotFound(id);
        if (webhook.Status != WebhookStatus.Active)
        {
            throw MlflowException.InvalidParameter($"Webhook '{id}' is disabled; set its status to 'active' to send it a test event.");
        }

        var action = request.Event is null ? webhook.Events[0] : WebhookRules.Event(request.Event, "event");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var delivery = WebhookOutbox.NewDelivery(webhook.Id, null, action, WebhookPayload.For(WebhookPayload.Example(action, now)), now);
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(http.RequestAborted);
        dispatcher.Wake();
        return Json(new DeliveryResponse(DeliveryWire.From(delivery)), StatusCodes.Status202Accepted);
    }

    private static JsonHttpResult<T> Json<T>(T body, int status = StatusCodes.Status200OK) => TypedResults.Json(body, MlflowJson.Options, statusCode: status);

    private static MlflowException NotFound(string id) => MlflowException.NotFound($"Webhook '{id}' does not exist.");
}
