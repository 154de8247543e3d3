using System.Text.Json.Nodes;
using Cairn.Server.Admin.StoreMigration;
using Cairn.Server.Registry;
using Cairn.Server.Tests.Infrastructure;
using Cairn.Server.Tests.Models;
using Cairn.Server.Tests.Registry;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cairn.Server.Tests.Admin;

/// <summary><c>cairn admin migrate-store</c>'s work: a real SQLite install moved into a real PostgreSQL and read back through the API.</summary>
public sealed class StoreMigrationTests
{
    [PostgresOnlyFact("the target of the move is a PostgreSQL database")]
    public async Task Everything_written_on_SQLite_reads_back_the_same_from_PostgreSQL_and_new_ids_follow_the_old_ones()
    {
        await using var install = new SqliteInstall();
        JsonNode before;
        await using (var sqlite = await install.StartOnSqliteAsync())
        {
            before = await ReadAllAsync(await FillAsync(sqlite), sqlite);
        }

        var target = await install.TargetAsync();

        var report = await StoreMigrator.MigrateAsync(install.SqlitePath, target);

        // Every table of the model, each one with rows in it, so none is left out of the copy or the check.
        using (var model = PostgresTarget.Open(target))
        {
            Assert.Equal(model.Model.GetRelationalModel().Tables.Select(t => t.Name).Order(), report.Tables.Select(t => t.Table).Order());
        }

        Assert.All(report.Tables, t => Assert.True(t.Rows > 0, $"{t.Table} was not exercised: no rows"));
        Assert.All(report.Tables, t => Assert.Equal(64, t.Checksum.Length));
        Assert.Equal((3 * 400) + 1, report.Tables.Single(t => t.Table == "metric_segments").Rows);
        await using var moved = await install.StartOnAsync(target);
        var after = await ReadAllAsync(await IdsAsync(moved), moved);
        Assert.True(JsonNode.DeepEquals(before, after), $"before: {before.ToJsonString()}\nafter: {after.ToJsonString()}");

        // Sequences start past the copied ids (0 and 1 for experiments, 1 and 2 for versions): new rows get fresh ones.
        var experiment = await moved.Mlflow.CreateExperimentAsync("after-the-move");
        Assert.Equal("2", experiment);
        var version = await moved.Mlflow.CreateVersionAsync("churn");
        Assert.Equal("3", (string)version["version"]!);
    }

    [PostgresOnlyFact("the target of the move is a PostgreSQL database")]
    public async Task A_target_that_holds_data_is_refused_by_name_and_left_as_it_was()
    {
        await using var install = new SqliteInstall();
        await (await install.StartOnSqliteAsync()).DisposeAsync();
        var target = await install.TargetAsync();
        await using (var other = await install.StartOnAsync(target))
        {
            await other.Mlflow.CreateExperimentAsync("already-on-postgres");
        }

        var refused = await Assert.ThrowsAsync<StoreMigrationException>(() => StoreMigrator.MigrateAsync(install.SqlitePath, target));

        Assert.StartsWith("--to:", refused.Message, StringComparison.Ordinal);
        Assert.Contains("already holds Cairn data (in experiments)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["Default", "already-on-postgres"], await NamesAsync(target));
    }

    [PostgresOnlyFact("the copy runs in one PostgreSQL transaction")]
    public async Task A_copy_stopped_half_way_leaves_the_target_empty_and_a_second_attempt_succeeds()
    {
        await using var install = new SqliteInstall();
        var target = await FilledAsync(install);
        using var cancel = new CancellationTokenSource();
        var progress = new Stopper(p => p.Table == "registered_models", cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => StoreMigrator.MigrateAsync(install.SqlitePath, target, progress, cancel.Token));

        Assert.Equal(["Default"], await NamesAsync(target));
        var report = await StoreMigrator.MigrateAsync(install.SqlitePath, target);
        Assert.Equal(["Default", "migrated"], await NamesAsync(target));
        Assert.Equal(report.Rows, (await StoreMigrator.VerifyAsync(install.SqlitePath, target)).Sum(c => c.TargetRows));
    }

    [PostgresOnlyFact("the check compares a PostgreSQL copy with its source")]
    public async Task The_check_finds_a_changed_value_and_a_missing_row_and_names_them()
    {
        await using var install = new SqliteInstall();
        var target = await FilledAsync(install);
        await StoreMigrator.MigrateAsync(install.SqlitePath, target);
        await using (var connection = new NpgsqlConnection(target))
        {
            await connection.OpenAsync();
            await using var tamper = new NpgsqlCommand(
                """
                UPDATE params SET value = 'tampered' WHERE key = 'lr';
                UPDATE metric_segments SET steps = trim_array(steps, 1), timestamps = trim_array(timestamps, 1), values = trim_array(values, 1)
                WHERE (run_id, key_id, block, seq) = (SELECT run_id, key_id, block, seq FROM metric_segments ORDER BY run_id DESC, key_id DESC, block DESC, seq DESC LIMIT 1);
                """, connection);
            await tamper.ExecuteNonQueryAsync();
        }

        var checks = await StoreMigrator.VerifyAsync(install.SqlitePath, target);

        Assert.Equal(["metric_segments", "params"], checks.Where(c => !c.Matches).Select(c => c.Table).Order());
        var param = checks.Single(c => c.Table == "params");
        Assert.NotEqual(param.SourceChecksum, param.TargetChecksum);
        Assert.Equal(param.SourceRows, param.TargetRows);
        Assert.Matches(@"row \d+ in key order \(run_id=\d+, key=lr\) has different values", param.FirstDifference);
        var metrics = checks.Single(c => c.Table == "metric_segments");
        Assert.Equal(metrics.SourceRows - 1, metrics.TargetRows);
        Assert.Contains("is missing from the target", metrics.FirstDifference, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_source_file_is_refused_by_name_before_anything_is_opened()
    {
        var missing = Path.Combine(Path.GetTempPath(), "cairn-no-such-install", "cairn.db");

        var refused = await Assert.ThrowsAsync<StoreMigrationException>(() => StoreMigrator.MigrateAsync(missing, "Host=127.0.0.1;Port=1;Database=never"));

        Assert.Equal($"--from: there is no SQLite database at '{missing}'.", refused.Message);
        Assert.False(File.Exists(missing));
    }

    /// <summary>Something in every table: 2 experiments, 3 runs of 400 points, inputs, logged models, the registry, webhooks (the server makes its Data Protection key itself).</summary>
    private static async Task<string[]> FillAsync(InstallServer server)
    {
        var mlflow = server.Mlflow;
        var experiment = await mlflow.CreateExperimentAsync("migrated");
        await mlflow.OkAsync("experiments/set-experiment-tag", new { experiment_id = experiment, key = "team", value = "grøwth" });
        var runs = new List<string>();
        for (var r = 0; r < 3; r++)
        {
            var run = await mlflow.CreateRunAsync(experiment, $"run-{r}", startTime: 1000 + r);
            var points = Enumerable.Range(0, 200).SelectMany(step => new object[]
            {
                new { key = "loss", value = step == 7 ? "NaN" : (object)(1.0 / (step + 1)), timestamp = 5000L + step, step },
                new { key = "acc", value = step / 200.0, timestamp = 5000L + step, step },
            });
            await mlflow.LogBatchAsync(run, [.. points], [Points.Kv("lr", $"0.0{r + 1}")], [Points.Kv("note", "héllo \"quoted\"")]);
            runs.Add(run);
        }

        var dataset = new { name = "iris", digest = "abc123", source_type = "local", source = "{\"uri\": \"/data/iris.csv\"}", schema = "{}" };
        var model = (string)(await LoggedModelRequests.CreateAsync(mlflow, experiment, "clf", [Points.Kv("depth", "4")], [Points.Kv("k", "v")], runs[0]))["info"]!["model_id"]!;
        await mlflow.OkAsync("runs/log-inputs", new { run_id = runs[0], datasets = new[] { new { tags = new[] { Points.Kv("mlflow.data.context", "training") }, dataset } }, models = new[] { new { model_id = model } } });
        await mlflow.OkAsync("runs/outputs", new { run_id = runs[0], models = new[] { new { model_id = model, step = 0L } } });
        await mlflow.LogBatchAsync(runs[0], [new { key = "f1", value = 0.8, timestamp = 9000L, step = 0L, model_id = model }]);

        var created = await server.Api.PostAsync("webhooks", new { name = "closed-port", url = "http://127.0.0.1:9/hook", events = new[] { RegistryActions.VersionCreated } });
        var webhook = (string)created.Body!["webhook"]!["webhook_id"]!;
        await mlflow.CreateModelAsync("churn", [Points.Kv("owner", "ml")]);
        await mlflow.CreateVersionAsync("churn", runs[0], [Points.Kv("validated", "yes")]);
        await mlflow.CreateVersionAsync("churn", runs[1]);
        await mlflow.SetAliasAsync("churn", "champion", 2);
        // Both deliveries given up on, so nothing changes between the reads before and after the move.
        while ((await server.DeliveriesAsync(webhook)) is var d && !(d.Count == 2 && d.All(x => (string?)x!["status"] == "failed")))
        {
            await Task.Delay(50);
        }

        return [.. runs];
    }

    /// <summary>Fills the install's SQLite file through a server on it, stops that server, and returns the empty target.</summary>
    private static async Task<string> FilledAsync(SqliteInstall install)
    {
        await using (var sqlite = await install.StartOnSqliteAsync())
        {
            await FillAsync(sqlite);
        }

        return await install.TargetAsync();
    }

    private static async Task<string[]> IdsAsync(InstallServer server)
    {
        var found = await server.Mlflow.OkAsync("runs/search", new { experiment_ids = new[] { "1" }, order_by = new[] { "attributes.start_time ASC" } });
        return [.. found["runs"]!.AsArray().Select(r => (string)r!["info"]!["run_id"]!)];
    }

    /// <summary>What a user reads back: runs with params, tags, latest metrics, inputs; full metric histories; the registry and its audit trail; webhooks and their deliveries.</summary>
    private static async Task<JsonNode> ReadAllAsync(string[] runs, InstallServer server)
    {
        var mlflow = server.Mlflow;
        var webhooks = (await server.Api.GetAsync("webhooks")).Ok()["webhooks"]!.AsArray();
        var result = new JsonObject
        {
            ["experiment"] = (await mlflow.GetAsync("experiments/get-by-name", ("experiment_name", "migrated"))).Ok(),
            ["runs"] = new JsonArray([.. await Task.WhenAll(runs.Select(async r => (await mlflow.GetRunAsync(r)).DeepClone()))]),
            ["history"] = new JsonArray([.. await Task.WhenAll(runs.Select(async r => (await mlflow.GetAsync("metrics/get-history", ("run_id", r), ("metric_key", "loss"))).Ok().DeepClone()))]),
            ["model"] = (await mlflow.GetModelAsync("churn")).DeepClone(),
            ["versions"] = (await mlflow.GetAsync("model-versions/search", ("filter", "name='churn'"))).Ok(),
            ["events"] = (await mlflow.EventsAsync()).DeepClone(),
            ["webhooks"] = webhooks.DeepClone(),
            ["deliveries"] = (await server.DeliveriesAsync((string)webhooks[0]!["webhook_id"]!)).Count,
        };
        return result;
    }

    private static async Task<List<string>> NamesAsync(string target)
    {
        await using var connection = new NpgsqlConnection(target);
        await connection.OpenAsync();
        await using var names = new NpgsqlCommand("SELECT name FROM experiments ORDER BY id", connection);
        await using var reader = await names.ExecuteReaderAsync();
        var found = new List<string>();
        while (await reader.ReadAsync())
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    /// <summary>Cancels the migration as soon as it reports on a table <paramref name="when"/> picks.</summary>
    private sealed class Stopper(Func<StoreProgress, bool> when, CancellationTokenSource cancel) : IProgress<StoreProgress>
    {
        public void Report(StoreProgress value)
        {
            if (when(value))
            {
                cancel.Cancel();
            }
        }
    }
}
