using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Search;

/// <summary>
/// One server with <see cref="RunFixture"/>'s runs, shared by a test class whose tests only search: building
/// the fixture once instead of per case keeps those classes fast. Tests that write use their own server.
/// </summary>
public sealed class SearchRunsApp : IAsyncLifetime
{
    private readonly CairnApp _app = new();

    public MlflowClient Mlflow { get; private set; } = null!;

    public RunFixture Fixture { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Mlflow = _app.Mlflow();
        Fixture = await RunFixture.CreateAsync(Mlflow);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();
}
