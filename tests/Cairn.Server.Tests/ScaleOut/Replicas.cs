using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.ScaleOut;

/// <summary>
/// Server processes side by side on one PostgreSQL database, started together as a deployment starts them. Each has a
/// data folder of its own, so nothing on local disk is shared: what one replica reads of another's writes came
/// through the database (or the bucket, when the settings name one). The database is dropped on dispose.
/// </summary>
public sealed class Replicas : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cairn-tests", "replicas-" + Guid.NewGuid().ToString("N"));
    private readonly List<ServerProcess> _servers = [];
    private readonly List<HttpClient> _clients = [];

    private Replicas()
    {
    }

    public int Count => _servers.Count;

    public ServerProcess this[int replica] => _servers[replica];

    private string DatabaseKey => Path.Combine(_root, "database");

    /// <summary>Starts <paramref name="count"/> replicas with the same <paramref name="args"/>.</summary>
    public static async Task<Replicas> StartAsync(int count, params string[] args)
    {
        var replicas = new Replicas();
        var database = await TestDatabase.ForAsync(replicas.DatabaseKey);
        var starting = Enumerable.Range(0, count)
            .Select(i => ServerProcess.StartAsync(Path.Combine(replicas._root, $"replica-{i}"), [.. args, "--database", database]))
            .ToList();
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            // The replicas that did start are stopped with the rest.
            replicas._servers.AddRange(starting.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result));
            await replicas.DisposeAsync();
            throw;
        }

        replicas._servers.AddRange(starting.Select(s => s.Result));
        replicas._clients.AddRange(replicas._servers.Select(s => new HttpClient { BaseAddress = new Uri(s.BaseUrl), Timeout = TimeSpan.FromMinutes(2) }));
        return replicas;
    }

    /// <summary>Settings as command-line arguments (<c>--Cairn:Artifacts:Store s3</c> …).</summary>
    public static string[] Args(IReadOnlyDictionary<string, string?> settings) =>
        [.. settings.SelectMany(s => new[] { "--" + s.Key, s.Value ?? "" })];

    public HttpClient Http(int replica) => _clients[replica];

    public MlflowClient Mlflow(int replica, string prefix = "/api/2.0/mlflow") => new(_clients[replica], prefix);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        await TestDatabase.DropAsync(DatabaseKey);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
