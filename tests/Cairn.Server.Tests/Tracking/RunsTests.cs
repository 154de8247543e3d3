using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Tracking;

public sealed class RunsTests
{
    [Fact]
    public async Task Create_returns_a_running_run_with_an_artifact_uri_under_its_experiment()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experimentId = await mlflow.CreateExperimentAsync("runs");

        var run = (await mlflow.OkAsync("runs/create", new
        {
            experiment_id = experimentId,
            user_id = "analyst-1",
            start_time = 1767225600000,
            tags = new[] { Points.Kv("mlflow.source.type", "LOCAL") },
        }))["run"]!;

        var info = run["info"]!;
        var runId = (string)info["run_id"]!;
        Assert.Matches("^[0-9a-f]{32}$", runId);
        Assert.Equal(runId, (string)info["run_uuid"]!);
        Assert.Equal("RUNNING", (string)info["status"]!);
        Assert.Equal("analyst-1", (string)info["user_id"]!);
        Assert.Equal(1767225600000, (long)info["start_time"]!);
        Assert.Null(info["end_time"]);
        Assert.Equal($"mlflow-artifacts:/{experimentId}/{runId}/artifacts", (string)info["artifact_uri"]!);
        Assert.Matches("^[a-z]+-[a-z]+-[0-9]{3}$", (string)info["run_name"]!);
        var tags = run["data"]!["tags"]!.AsArray().ToDictionary(t => (string)t!["key"]!, t => (string)t!["value"]!);
        Assert.Equal((string)info["run_name"]!, tags["mlflow.runName"]);
        Assert.Equal("LOCAL", tags["mlflow.source.type"]);
    }

    [Fact]
    public async Task A_run_without_experiment_id_goes_to_the_default_experiment()
    {
        await using var app = new CairnApp();

        var run = (await app.Mlflow().OkAsync("runs/create", new { run_name = "r" }))["run"]!;

        Assert.Equal("0", (string)run["info"]!["experiment_id"]!);
    }

    [Fact]
    public async Task Run_name_and_a_different_run_name_tag_conflict()
    {
        await using var app = new CairnApp();

        var response = await app.Mlflow().PostAsync("runs/create", new { run_name = "a", tags = new[] { Points.Kv("mlflow.runName", "b") } });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "mlflow.runName");
    }

    [Fact]
    public async Task Create_in_an_unknown_experiment_is_resource_does_not_exist()
    {
        await using var app = new CairnApp();

        var response = await app.Mlflow().PostAsync("runs/create", new { experiment_id = "77" });

        response.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "77");
    }

    [Fact]
    public async Task Update_ends_the_run_and_renames_it_with_its_tag()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0", "before");

        var info = (await mlflow.OkAsync("runs/update", new { run_id = runId, status = "FINISHED", end_time = 1767225700000, run_name = "after" }))["run_info"]!;
        var run = await mlflow.GetRunAsync(runId);

        Assert.Equal("FINISHED", (string)info["status"]!);
        Assert.Equal(1767225700000, (long)run["info"]!["end_time"]!);
        Assert.Equal("after", (string)run["info"]!["run_name"]!);
        Assert.Contains(run["data"]!["tags"]!.AsArray(), t => (string)t!["key"]! == "mlflow.runName" && (string)t["value"]! == "after");
    }

    [Theory]
    [InlineData("DONE")]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData("RUNNING, FINISHED")]
    public async Task Update_with_a_status_outside_the_protocol_names_the_field_and_changes_nothing(object status)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        var response = await mlflow.PostAsync("runs/update", new { run_id = runId, status });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "status");
        Assert.Equal("RUNNING", (string)(await mlflow.GetRunAsync(runId))["info"]!["status"]!);
    }

    [Fact]
    public async Task Update_takes_a_status_by_its_number_as_protobuf_json_allows()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        await mlflow.OkAsync("runs/update", new { run_id = runId, status = 3 });

        Assert.Equal("FINISHED", (string)(await mlflow.GetRunAsync(runId))["info"]!["status"]!);
    }

    [Fact]
    public async Task Get_accepts_the_legacy_run_uuid_field()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0", "legacy");

        var run = (await mlflow.GetAsync("runs/get", ("run_uuid", runId))).Ok()["run"]!;

        Assert.Equal("legacy", (string)run["info"]!["run_name"]!);
    }

    [Fact]
    public async Task Get_of_an_unknown_run_is_resource_does_not_exist()
    {
        await using var app = new CairnApp();

        var response = await app.Mlflow().GetAsync("runs/get", ("run_id", "0123456789abcdef0123456789abcdef"));

        response.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "0123456789abcdef0123456789abcdef");
    }

    [Fact]
    public async Task Get_without_a_run_id_names_the_field()
    {
        await using var app = new CairnApp();

        var response = await app.Mlflow().GetAsync("runs/get");

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'run_id'");
    }

    [Fact]
    public async Task Delete_and_restore_change_the_lifecycle_stage_and_writes_to_a_deleted_run_fail()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        await mlflow.OkAsync("runs/delete", new { run_id = runId });
        var deleted = await mlflow.GetRunAsync(runId);
        var write = await mlflow.PostAsync("runs/log-metric", new { run_id = runId, key = "m", value = 1.0, timestamp = 1 });
        var tag = await mlflow.PostAsync("runs/set-tag", new { run_id = runId, key = "k", value = "v" });
        var update = await mlflow.PostAsync("runs/update", new { run_id = runId, status = "FINISHED" });
        await mlflow.OkAsync("runs/restore", new { run_id = runId });
        var restored = await mlflow.GetRunAsync(runId);

        Assert.Equal("deleted", (string)deleted["info"]!["lifecycle_stage"]!);
        write.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "active");
        tag.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "active");
        update.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "active");
        Assert.Equal("active", (string)restored["info"]!["lifecycle_stage"]!);
        Assert.Null(restored["data"]!["metrics"]);
    }

    [Fact]
    public async Task Delete_of_an_unknown_run_is_resource_does_not_exist()
    {
        await using var app = new CairnApp();

        var response = await app.Mlflow().PostAsync("runs/delete", new { run_id = "ffffffffffffffffffffffffffffffff" });

        response.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Set_tag_overwrites_and_delete_tag_removes_it()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        await mlflow.OkAsync("runs/set-tag", new { run_id = runId, key = "stage", value = "a" });
        await mlflow.OkAsync("runs/set-tag", new { run_id = runId, key = "stage", value = "b" });
        await mlflow.OkAsync("runs/set-tag", new { run_id = runId, key = "gone", value = "x" });
        await mlflow.OkAsync("runs/delete-tag", new { run_id = runId, key = "gone" });
        var missing = await mlflow.PostAsync("runs/delete-tag", new { run_id = runId, key = "gone" });

        var tags = (await mlflow.GetRunAsync(runId))["data"]!["tags"]!.AsArray().ToDictionary(t => (string)t!["key"]!, t => (string)t!["value"]!);
        Assert.Equal("b", tags["stage"]);
        Assert.False(tags.ContainsKey("gone"));
        missing.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "gone");
    }

    [Fact]
    public async Task Setting_the_run_name_tag_renames_the_run()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0", "first");

        await mlflow.OkAsync("runs/set-tag", new { run_id = runId, key = "mlflow.runName", value = "second" });

        Assert.Equal("second", (string)(await mlflow.GetRunAsync(runId))["info"]!["run_name"]!);
    }

    [Fact]
    public async Task Log_parameter_is_write_once()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        await mlflow.OkAsync("runs/log-parameter", new { run_id = runId, key = "lr", value = "0.1" });
        await mlflow.OkAsync("runs/log-parameter", new { run_id = runId, key = "lr", value = "0.1" });
        var change = await mlflow.PostAsync("runs/log-parameter", new { run_id = runId, key = "lr", value = "0.2" });

        change.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "lr");
        var param = Assert.Single((await mlflow.GetRunAsync(runId))["data"]!["params"]!.AsArray());
        Assert.Equal("0.1", (string)param!["value"]!);
    }

    [Fact]
    public async Task Log_metric_keeps_the_latest_value_by_step_then_timestamp()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        await mlflow.OkAsync("runs/log-metric", new { run_id = runId, key = "loss", value = 0.5, timestamp = 10, step = 5 });
        await mlflow.OkAsync("runs/log-metric", new { run_id = runId, key = "loss", value = 0.9, timestamp = 99, step = 1 });
        await mlflow.OkAsync("runs/log-metric", new { run_id = runId, key = "loss", value = 0.4, timestamp = 11, step = 5 });

        var metric = Assert.Single((await mlflow.GetRunAsync(runId))["data"]!["metrics"]!.AsArray())!;
        Assert.Equal(0.4, (double)metric["value"]!);
        Assert.Equal(5, (long)metric["step"]!);
        Assert.Equal(11, (long)metric["timestamp"]!);
    }

    [Fact]
    public async Task Log_inputs_records_datasets_once_per_run_with_their_context()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        var input = new
        {
            tags = new[] { Points.Kv("mlflow.data.context", "training") },
            dataset = new { name = "iris", digest = "abc123", source_type = "local", source = "{\"uri\": \"/data/iris.csv\"}", schema = "{}" },
        };

        await mlflow.OkAsync("runs/log-inputs", new { run_id = runId, datasets = new[] { input } });
        await mlflow.OkAsync("runs/log-inputs", new { run_id = runId, datasets = new[] { input } });

        var inputs = (await mlflow.GetRunAsync(runId))["inputs"]!["dataset_inputs"]!.AsArray();
        var only = Assert.Single(inputs)!;
        Assert.Equal("iris", (string)only["dataset"]!["name"]!);
        Assert.Equal("abc123", (string)only["dataset"]!["digest"]!);
        Assert.Equal("training", (string)only["tags"]![0]!["value"]!);
    }

    [Fact]
    public async Task Log_inputs_with_a_digest_over_36_characters_names_the_field()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        var response = await mlflow.PostAsync("runs/log-inputs", new
        {
            run_id = runId,
            datasets = new[] { new { dataset = new { name = "d", digest = new string('a', 37), source_type = "local", source = "x" } } },
        });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "datasets[0].dataset.digest");
        Assert.Null((await mlflow.GetRunAsync(runId))["inputs"]!["dataset_inputs"]);
    }
}
