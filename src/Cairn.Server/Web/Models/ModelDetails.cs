using Cairn.Server.Data;
using Cairn.Server.Registry;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Models;

/// <summary>What the model page shows: the model, all its live versions newest first, and its audit trail.</summary>
public sealed record ModelDetails(RegisteredModelJson Model, IReadOnlyList<ModelVersionJson> Versions, IReadOnlyList<RegistryEventsApi.EventJson> History)
{
    public const int HistoryRows = 200;

    public static async Task<ModelDetails> LoadAsync(CairnDb db, string name, CancellationToken cancellationToken)
    {
        var model = await RegistryReader.ModelAsync(db, name, cancellationToken);
        var versions = await db.ModelVersions.AsNoTracking().Include(v => v.Tags)
            .Where(v => v.ModelId == model.Id && !v.Deleted).OrderByDescending(v => v.Version)
            .ToListAsync(cancellationToken);
        var history = await RegistryEventsApi.Query(db, new RegistryEventsApi.EventsRequest { Name = name })
            .OrderByDescending(e => e.Id).Take(HistoryRows).ToListAsync(cancellationToken);
        return new ModelDetails(
            await RegistryReader.JsonAsync(db, model, cancellationToken),
            [.. versions.Select(v => RegistryReader.Json(v, model))],
            [.. history.Select(RegistryEventsApi.Json)]);
    }
}
