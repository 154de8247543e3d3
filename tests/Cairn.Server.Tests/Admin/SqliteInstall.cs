using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Admin;

/// <summary>
/// A single-node install to move: a SQLite file written by the real server, and an empty PostgreSQL database to
/// move it into. The servers run as their own processes: the server's compiled queries bind to the first store a
/// process uses, and the other tests of this process use <see cref="TestDatabase"/>'s. Both are removed on dispose.
/// </summary>
public sealed class SqliteInstall : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cairn-migrate-store-").FullName;

    public string SqlitePath => Path.Combine(_folder, "cairn.db");

    /// <summary>A fresh PostgreSQL database, created empty (no schema): migrate-store migrates it.</summary>
    public Task<string> TargetAsync() => TestDatabase.ForAsync(Path.Combine(_folder, "target"));

    /// <summary>The server on the SQLite file; webhooks may deliver to loopback and give up after two quick attempts.</summary>
    public Task<InstallServer> StartOnSqliteAsync() => StartAsync("sqlite-data", $"Data Source={SqlitePath}");

    public Task<InstallServer> StartOnAsync(string postgres) => StartAsync("postgres-data", postgres);

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await TestDatabase.DropAsync(Path.Combine(_folder, "target"));
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<InstallServer> StartAsync(string data, string database) => new(await ServerProcess.StartAsync(
        Path.Combine(_folder, data),
        "--database", database,
        "--Cairn:Webhooks:AllowPrivateNetworks", "true",
        "--Cairn:Webhooks:PollIntervalSeconds", "0.05",
        "--Cairn:Webhooks:FirstRetryDelaySeconds", "0.05",
        "--Cairn:Webhooks:MaxAttempts", "2"));
}

/// <summary>A server process of an install, with clients for its MLflow routes and its native API.</summary>
public sealed class InstallServer(ServerProcess process) : IAsyncDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(process.BaseUrl) };

    public MlflowClient Mlflow => new(_http, "/api/2.0/mlflow");

    public MlflowClient Api => new(_http, "/api/v1");

    public async Task<JsonArray> DeliveriesAsync(string webhookId) =>
        (await Api.GetAsync($"webhooks/{webhookId}/deliveries")).Ok()["deliveries"]?.AsArray() ?? [];

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await process.DisposeAsync();
    }
}
