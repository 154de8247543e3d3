using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cairn.Server.Registry;

/// <summary>
/// One registry write: a transaction serialised with every other registry write (SQLite's write lock; a PostgreSQL
/// advisory lock), so read-modify-write sequences such as moving an alias cannot interleave, even across replicas,
/// and audit rows get their ids in commit order (the webhook outbox relies on that); the actor and time; and the
/// audit entries it records before committing.
/// </summary>
public sealed class RegistryChange : IAsyncDisposable
{
    private readonly CairnDb _db;
    private readonly IDbContextTransaction _transaction;

    private RegistryChange(CairnDb db, IDbContextTransaction transaction, string actor, long now)
    {
        _db = db;
        _transaction = transaction;
        Actor = actor;
        Now = now;
    }

    public string Actor { get; }

    /// <summary>Unix milliseconds, the same for every row this change touches.</summary>
    public long Now { get; }

    /// <summary>The user id stored on new models and versions: the actor, unless anonymous.</summary>
    public string? UserId => Actor == Anonymous ? null : Actor;

    public const string Anonymous = "anonymous";

    /// <summary>What <see cref="CairnDb.BeginSerializedAsync"/> serialises registry writes on.</summary>
    public const string Scope = "registry";

    public static async Task<RegistryChange> BeginAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var transaction = await db.BeginSerializedAsync(Scope, http.RequestAborted);
        return new RegistryChange(db, transaction, ActorOf(http), clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    public void Record(string action, RegisteredModel model, int? version = null, string? alias = null, object? before = null, object? after = null) =>
        _db.RegistryEvents.Add(new RegistryEvent
        {
            Time = Now,
            Actor = Actor,
            Action = action,
            ModelId = model.Id,
            ModelName = model.Name,
            Version = version,
            Alias = alias,
            Before = before is null ? null : JsonSerializer.Serialize(before, MlflowJson.Options),
            After = after is null ? null : JsonSerializer.Serialize(after, MlflowJson.Options),
        });

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _db.SaveChangesAsync(cancellationToken);
        await _transaction.CommitAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _transaction.DisposeAsync();

    /// <summary>Who made a request: the user of HTTP basic authentication (what the MLflow client sends from MLFLOW_TRACKING_USERNAME), else anonymous.</summary>
    public static string ActorOf(HttpContext http)
    {
        if (AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header)
            && header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)
            && header.Parameter is { } parameter)
        {
            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
                var colon = text.IndexOf(':', StringComparison.Ordinal);
                var user = colon < 0 ? text : text[..colon];
                if (user.Length is > 0 and <= 256)
                {
                    return user;
                }
            }
            catch (FormatException)
            {
            }
        }

        return Anonymous;
    }
}
