using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Registry;

/// <summary>
/// registered-models/alias: set (or move), delete and resolve aliases. A move records the version the alias left,
/// which is what <c>cairn models rollback</c> reads back.
/// </summary>
public static class ModelAliases
{
    public static async Task<IResult> SetAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<AliasRequest>(http);
        var name = RegistryRules.Name(request.Name);
        var alias = RegistryRules.Alias(request.Alias);
        var version = RegistryRules.Version(request.Version);
        var ct = http.RequestAborted;
        await using var change = await RegistryChange.BeginAsync(http, db, clock);
        var model = await RegistryReader.ModelAsync(db, name, ct, tracking: true);
        await RegistryReader.VersionAsync(db, model, version, ct);
        var existing = model.Aliases.FirstOrDefault(a => a.Alias == alias);
        var before = existing?.Version;
        if (existing is null)
        {
            model.Aliases.Add(new ModelAlias { Alias = alias, Version = version });
        }
        else
        {
            existing.Version = version;
        }

        model.LastUpdatedTime = change.Now;
        change.Record(RegistryActions.AliasSet, model, version, alias,
            before: before is null ? null : new { alias, version = Text(before.Value) },
            after: new { alias, version = Text(version) });
        await change.CommitAsync(ct);
        return Results.Json(new { }, MlflowJson.Options);
    }

    public static async Task<IResult> DeleteAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<AliasRequest>(http);
        var name = RegistryRules.Name(request.Name);
        var alias = Tracking.TrackingRules.Required(request.Alias, "alias");
        var ct = http.RequestAborted;
        await using var change = await RegistryChange.BeginAsync(http, db, clock);
        var model = await RegistryReader.ModelAsync(db, name, ct, tracking: true);
        if (model.Aliases.FirstOrDefault(a => a.Alias == alias) is { } existing)
        {
            model.Aliases.Remove(existing);
            model.LastUpdatedTime = change.Now;
            RecordRemoved(change, model, existing);
            await change.CommitAsync(ct);
        }

        return Results.Json(new { }, MlflowJson.Options);
    }

    public static async Task<IResult> GetAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<AliasRequest>(http);
        var name = RegistryRules.Name(request.Name);
        var alias = Tracking.TrackingRules.Required(request.Alias, "alias");

        // An alias that is not there, on a model that is not there either, is INVALID_PARAMETER_VALUE (400), as MLflow answers.
        var model = await db.RegisteredModels.AsNoTracking().Include(m => m.Tags).Include(m => m.Aliases).AsSplitQuery()
            .FirstOrDefaultAsync(m => m.Name == name, http.RequestAborted);
        var target = model?.Aliases.FirstOrDefault(a => a.Alias == alias)
            ?? throw MlflowException.InvalidParameter($"Registered model alias {alias} not found.");
        var version = await RegistryReader.VersionAsync(db, model!, target.Version, http.RequestAborted);
        return Results.Json(new { model_version = RegistryReader.Json(version, model!) }, MlflowJson.Options);
    }

    /// <summary>Removes the aliases pointing at a version being deleted, each recorded as its own removal.</summary>
    public static void RemoveFrom(RegistryChange change, RegisteredModel model, int version)
    {
        foreach (var alias in model.Aliases.Where(a => a.Version == version).ToList())
        {
            model.Aliases.Remove(alias);
            RecordRemoved(change, model, alias);
        }
    }

    private static void RecordRemoved(RegistryChange change, RegisteredModel model, ModelAlias alias) =>
        change.Record(RegistryActions.AliasDeleted, model, alias.Version, alias.Alias, before: new { alias = alias.Alias, version = Text(alias.Version) });

    private static string Text(int version) => version.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
