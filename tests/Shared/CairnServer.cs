using Microsoft.AspNetCore.Hosting;
using Cairn.Client;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Cairn.Tests.Shared;

/// <summary>The real server on Kestrel (a real socket on port 0) with a fresh data folder, for the SDK to talk to.</summary>
public sealed class CairnServer : WebApplicationFactory<Program>
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cairn-tests", "client-" + Guid.NewGuid().ToString("N"));
    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <param name="settings">Configuration on top of the fresh data folder, such as <c>Cairn:PathBase</c>.</param>
    public CairnServer(IReadOnlyDictionary<string, string>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string>();
        UseKestrel(0);
        StartServer();
    }

    /// <summary>The server's data folder (its SQLite database is <c>cairn.db</c> there).</summary>
    public string DataPath => _data;

    /// <summary>The server's address, such as http://127.0.0.1:41234/.</summary>
    public Uri Address => ClientOptions.BaseAddress;

    /// <summary>A client on a plain <see cref="HttpClient"/> (a real socket), optionally through <paramref name="handler"/>.</summary>
    public CairnClient Client(DelegatingHandler? handler = null)
    {
        HttpMessageHandler inner = new SocketsHttpHandler();
        if (handler is not null)
        {
            handler.InnerHandler = inner;
            inner = handler;
        }

        return new CairnClient(new HttpClient(inner) { BaseAddress = Address });
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Cairn:Data", _data);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
