using System.Runtime.CompilerServices;

namespace Cairn.Client;

/// <summary>One page of a search; pass <see cref="NextPageToken"/> back for the next, null when this is the last.</summary>
/// <typeparam name="T">What the search returns.</typeparam>
/// <param name="Items">The results on this page.</param>
/// <param name="NextPageToken">The token for the next page, or null.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken);

/// <summary>Which experiments or runs a search considers, by lifecycle stage.</summary>
public enum ViewType
{
    /// <summary>Active ones only (the default).</summary>
    ActiveOnly = 1,

    /// <summary>Deleted ones only.</summary>
    DeletedOnly = 2,

    /// <summary>Active and deleted.</summary>
    All = 3,
}

internal static class ViewTypeNames
{
    public static string Name(this ViewType viewType) => viewType switch
    {
        ViewType.DeletedOnly => "DELETED_ONLY",
        ViewType.All => "ALL",
        _ => "ACTIVE_ONLY",
    };
}

internal static class Pages
{
    /// <summary>Every item of a paged search: asks for <paramref name="page"/> with each next-page token until there is none.</summary>
    public static async IAsyncEnumerable<T> FollowAsync<T>(
        Func<string?, CancellationToken, Task<Page<T>>> page, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var current = await page(token, cancellationToken);
            foreach (var item in current.Items)
            {
                yield return item;
            }

            token = current.NextPageToken;
        }
        while (token is not null);
    }
}
