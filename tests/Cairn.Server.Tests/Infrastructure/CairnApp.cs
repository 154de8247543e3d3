using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>
/// The server in-process on a fresh, empty data folder and its own database (SQLite in the folder, or a PostgreSQL
/// database of its own when <see cref="TestDatabase.IsPostgres"/>), both deleted on dispose.
/// </summary>
public sealed class CairnApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public CairnApp(Dictionary<string, string?>? settings = null)
    {
        DataPath = Path.Combine(Path.GetTempPath(), "cairn-tests", Guid.NewGuid().ToString("N"));
        _settings = new Dictionary<string, string?>(settings ?? []) { ["Cairn:Data"] = DataPath };
        if (TestDatabase.IsPostgres && !_settings.ContainsKey("Cairn:Database"))
        {
            _settings["Cairn:Database"] = TestDatabase.For(DataPath);
        }
    }

    public string DataPath { get; }

    public MlflowClient Mlflow(string prefix = "/api/2.0/mlflow") => new(CreateClient(), prefix);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await TestDatabase.DropAsync(DataPath);
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
