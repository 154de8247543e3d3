using Cairn.Server.Tests.Infrastructure;
using static Cairn.Server.Tests.Infrastructure.Points;

namespace Cairn.Server.Tests.Search;

/// <summary>runs/search sees what later writes changed: out-of-order metric steps, renames, tag edits, infinities.</summary>
public sealed class SearchRunsAfterChangesTests
{
    [Fact]
    public async Task A_metric_logged_later_at_an_earlier_step_does_not_become_the_latest_value()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experiment = await mlflow.CreateExperimentAsync("e");
        var run = await mlflow.CreateRunAsync(experiment, "r");
        await mlflow.LogBatchAsync(run, [Metric("loss", 1.0, timestamp: 5000, step: 5)]);
        await mlflow.LogBatchAsync(run, [Metric("loss", 7.0, timestamp: 9000, step: 2)]);

        var latestIsOne = await NamesAsync(mlflow, experiment, "metrics.loss = 1");
        var earlierIsIgnored = await NamesAsync(mlflow, experiment, "metrics.loss > 2");

        Assert.Equal(["r"], latestIsOne);
        Assert.Empty(earlierIsIgnored);
    }

    [Fact]
    public async Task Renaming_a_run_changes_what_run_name_and_the_run_name_tag_match()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experiment = await mlflow.CreateExperimentAsync("e");
        var run = await mlflow.CreateRunAsync(experiment, "before");
        await mlflow.OkAsync("runs/update", new { run_id = run, run_name = "after" });

        var byOldName = await NamesAsync(mlflow, experiment, "run_name = 'before'");
        var byNewName = await NamesAsync(mlflow, experiment, "run_name = 'after' AND tags.`mlflow.runName` = 'after'");

        Assert.Empty(byOldName);
        Assert.Equal(["after"], byNewName);
    }

    [Fact]
    public async Task Setting_the_run_name_tag_renames_the_run_for_search()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experiment = await mlflow.CreateExperimentAsync("e");
        var run = await mlflow.CreateRunAsync(experiment, "before");
        await mlflow.OkAsync("runs/set-tag", new { run_id = run, key = "mlflow.runName", value = "via-tag" });

        var names = await NamesAsync(mlflow, experiment, "attributes.run_name = 'via-tag'");

        Assert.Equal(["via-tag"], names);
    }

    [Fact]
    public async Task An_overwritten_tag_matches_its_new_value_and_a_deleted_tag_matches_nothing()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experiment = await mlflow.CreateExperimentAsync("e");
        var kept = await mlflow.CreateRunAsync(experiment, "kept", tags: [Kv("stage", "old")]);
        var dropped = await mlflow.CreateRunAsync(experiment, "dropped", tags: [Kv("stage", "old")]);
        await mlflow.OkAsync("runs/set-tag", new { run_id = kept, key = "stage", value = "new" });
        await mlflow.OkAsync("runs/delete-tag", new { run_id = dropped, key = "stage" });

        var old = await NamesAsync(mlflow, experiment, "tags.stage = 'old'");
        var notNew = await NamesAsync(mlflow, experiment, "tags.stage != 'new'");
        var @new = await NamesAsync(mlflow, experiment, "tags.stage = 'new'");

        Assert.Empty(old);
        Assert.Empty(notNew);
        Assert.Equal(["kept"], @new);
    }

    [Fact]
    public async Task A_restored_run_is_active_again()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experiment = await mlflow.CreateExperimentAsync("e");
        var run = await mlflow.CreateRunAsync(experiment, "back");
        await mlflow.OkAsync("runs/delete", new { run_id = run });
        await mlflow.OkAsync("runs/restore", new { run_id = run });

        var active = await mlflow.OkAsync("runs/search", new { experiment_ids = new[] { experiment }, run_view_type = "ACTIVE_ONLY" });
        var deleted = await mlflow.OkAsync("runs/search", new { experiment_ids = new[] { experiment }, run_view_type = "DELETED_ONLY" });

        Assert.Equal(["back"], RunFixture.RunNames(active));
        Assert.Empty(RunFixture.RunNames(deleted));
    }

    [Fact]
    public async Task Infinite_metrics_compare_and_sort_beyond_every_finite_value()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experiment = await mlflow.CreateExperimentAsync("e");
        await LogAsync(mlflow, experiment, "plus", "Infinity", 1000);
        await LogAsync(mlflow, experiment, "minus", "-Infinity", 2000);
        await LogAsync(mlflow, experiment, "finite", 1e300, 3000);
        await LogAsync(mlflow, experiment, "nan", "NaN", 4000);

        var huge = await NamesAsync(mlflow, experiment, "metrics.m > 1e301");
        var tiny = await NamesAsync(mlflow, experiment, "metrics.m < -1e301");
        var ascending = await NamesAsync(mlflow, experiment, "", "metrics.m ASC");
        var descending = await NamesAsync(mlflow, experiment, "", "metrics.m DESC");

        Assert.Equal(["plus"], huge);
        Assert.Equal(["minus"], tiny);
        Assert.Equal(["minus", "finite", "plus", "nan"], ascending);
        Assert.Equal(["plus", "finite", "minus", "nan"], descending);
    }

    [Fact]
    public async Task A_quote_doubled_inside_a_value_matches_a_value_containing_that_quote()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experiment = await mlflow.CreateExperimentAsync("e");
        var run = await mlflow.CreateRunAsync(experiment, "quoted");
        await mlflow.LogBatchAsync(run, @params: [Kv("note", "it's")]);

        var names = await NamesAsync(mlflow, experiment, "params.note = 'it''s'");

        Assert.Equal(["quoted"], names);
    }

    [Theory]
    [InlineData("metrics.m = NaN")]
    [InlineData("metrics.m != nan")]
    [InlineData("metrics.m > nan")]
    public async Task A_nan_word_in_a_metric_filter_is_invalid_parameter_value_not_an_internal_error(string filter)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experiment = await mlflow.CreateExperimentAsync("e");
        await LogAsync(mlflow, experiment, "nan", "NaN", 1000);

        var response = await mlflow.PostAsync("runs/search", new { experiment_ids = new[] { experiment }, filter });

        response.IsError(System.Net.HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", filter[(filter.LastIndexOf(' ') + 1)..]);
    }

    [Fact]
    public async Task Ilike_ignores_the_case_of_non_ascii_letters()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experiment = await mlflow.CreateExperimentAsync("e");
        await mlflow.CreateRunAsync(experiment, "umlaut", tags: [Kv("city", "Über-Zürich")]);

        var names = await NamesAsync(mlflow, experiment, "tags.city ILIKE 'über-zürich'");

        Assert.Equal(["umlaut"], names);
    }

    [Theory]
    [InlineData("metrics.acc > 0.85 AND metrics.loss < 1", "", "alpha-1")]
    [InlineData("params.lr = '0.1' AND params.optimizer = 'Adam'", "", "alpha-1")]
    [InlineData("params.lr = '0.1' AND params.optimizer = 'adamw'", "", "")]
    [InlineData("", "metrics.val.loss ASC;metrics.acc ASC", "alpha-1,beta-22,alpha-2,beta-1")]
    [InlineData("", "params.optimizer ASC;params.missing ASC", "alpha-1,beta-1,alpha-2,beta-22")]
    [InlineData("", "tags.team DESC;tags.missing ASC", "alpha-2,beta-1,alpha-1,beta-22")]
    public async Task Several_clauses_or_terms_on_the_same_entity_each_keep_their_own_key(string filter, string orderBy, string expected)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var fixture = await RunFixture.CreateAsync(mlflow);

        var names = await fixture.NamesAsync(mlflow, filter, orderBy.Split(';', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), names);
    }

    private static async Task LogAsync(MlflowClient mlflow, string experimentId, string name, object value, long startTime)
    {
        var run = await mlflow.CreateRunAsync(experimentId, name, startTime);
        await mlflow.LogBatchAsync(run, [Metric("m", value)]);
    }

    private static async Task<List<string>> NamesAsync(MlflowClient mlflow, string experimentId, string filter, params string[] orderBy) =>
        RunFixture.RunNames(await mlflow.OkAsync("runs/search", new { experiment_ids = new[] { experimentId }, filter, order_by = orderBy }));
}
