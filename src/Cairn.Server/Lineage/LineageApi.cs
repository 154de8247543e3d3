using Cairn.Server.Data;
using Cairn.Server.Mlflow;

namespace Cairn.Server.Lineage;

/// <summary>
/// <c>GET /api/v1/lineage/{kind}/{id}</c>: what a model version, run, dataset (by digest) or experiment came from and
/// what was made from it. Model versions are named <c>NAME/VERSION</c>.
/// </summary>
public static class LineageApi
{
    public static RouteGroupBuilder MapLineage(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/lineage").AddEndpointFilter<MlflowErrors>().WithTags("Lineage");
        group.MapGet("/{kind}/{**id}", GetAsync).WithName("GetLineage");
        return group;
    }

    private static async Task<IResult> GetAsync(string kind, string id, CairnDb db, CancellationToken cancellationToken)
    {
        var graph = await new LineageWalker(db).WalkAsync(kind, Uri.UnescapeDataString(id), cancellationToken);
        return Results.Json(graph, MlflowJson.Options);
    }
}
