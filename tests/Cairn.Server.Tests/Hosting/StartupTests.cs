using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Hosting;

/// <summary>Bad settings stop the server at start with a message naming the setting.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task A_data_folder_that_is_a_file_fails_at_start_naming_the_setting()
    {
        var file = Path.GetTempFileName();

        var (exitCode, output) = await ServerProcess.RunToExitAsync(file);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--data", output, StringComparison.Ordinal);
        Assert.Contains(file, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_is_not_a_connection_string_fails_at_start_naming_the_setting()
    {
        var data = Path.Combine(Path.GetTempPath(), "cairn-tests", Guid.NewGuid().ToString("N"));

        var (exitCode, output) = await ServerProcess.RunToExitAsync(data, "--database", "not a connection string");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--database", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_starts_on_an_empty_folder_and_keeps_data_across_restarts()
    {
        var data = Path.Combine(Path.GetTempPath(), "cairn-tests", Guid.NewGuid().ToString("N"));
        string id;
        await using (var first = await ServerProcess.StartAsync(data))
        {
            id = await new MlflowClient(new HttpClient { BaseAddress = new Uri(first.BaseUrl) }, "/api/2.0/mlflow").CreateExperimentAsync("kept");
        }

        await using var second = await ServerProcess.StartAsync(data);
        var mlflow = new MlflowClient(new HttpClient { BaseAddress = new Uri(second.BaseUrl) }, "/api/2.0/mlflow");

        Assert.Equal("kept", (string)(await mlflow.GetAsync("experiments/get", ("experiment_id", id))).Ok()["experiment"]!["name"]!);
        AssertDatabaseIn(data);
        Assert.True(Directory.Exists(Path.Combine(data, "artifacts")));
    }

    [Fact]
    public async Task Without_settings_the_data_goes_to_cairn_data_under_the_working_directory()
    {
        var workingDirectory = Path.Combine(Path.GetTempPath(), "cairn-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workingDirectory);

        await using (var server = await ServerProcess.StartInAsync(workingDirectory, dataPath: null, environment: null))
        {
            await new MlflowClient(new HttpClient { BaseAddress = new Uri(server.BaseUrl) }, "/api/2.0/mlflow").CreateExperimentAsync("here");
        }

        AssertDatabaseIn(Path.Combine(workingDirectory, "cairn-data"));
        Assert.True(Directory.Exists(Path.Combine(workingDirectory, "cairn-data", "artifacts")));
    }

    [Fact]
    public async Task CAIRN_DATA_names_the_data_folder_and_a_flag_beats_it()
    {
        var fromEnvironment = Path.Combine(Path.GetTempPath(), "cairn-tests", Guid.NewGuid().ToString("N"));
        var fromFlag = Path.Combine(Path.GetTempPath(), "cairn-tests", Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string> { ["CAIRN_DATA"] = fromEnvironment };

        await using (await ServerProcess.StartInAsync(AppContext.BaseDirectory, dataPath: null, environment))
        {
        }

        await using (await ServerProcess.StartInAsync(AppContext.BaseDirectory, fromFlag, environment))
        {
        }

        AssertDatabaseIn(fromEnvironment);
        AssertDatabaseIn(fromFlag);
    }

    [Fact]
    public async Task A_postgres_database_that_cannot_be_reached_fails_at_start_without_printing_the_password()
    {
        var data = Path.Combine(Path.GetTempPath(), "cairn-tests", Guid.NewGuid().ToString("N"));
        var nobody = $"postgres://cairn:hunter2@127.0.0.1:{MotoServer.FreePort()}/cairn";

        var (exitCode, output) = await ServerProcess.RunToExitAsync(data, "--database", nobody);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--database", output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
    }

    /// <summary>SQLite keeps cairn.db in the data folder; on PostgreSQL the folder holds the artifacts only.</summary>
    private static void AssertDatabaseIn(string data) =>
        Assert.Equal(!TestDatabase.IsPostgres, File.Exists(Path.Combine(data, "cairn.db")));
}
