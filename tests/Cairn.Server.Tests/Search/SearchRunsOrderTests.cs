using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Search;

/// <summary>runs/search order_by over <see cref="RunFixture"/>: exact order of the active runs of experiment "search".</summary>
public sealed class SearchRunsOrderTests(SearchRunsApp shared) : IClassFixture<SearchRunsApp>
{
    [Fact]
    public async Task Without_order_by_runs_come_newest_start_time_first()
    {
        var (mlflow, fixture) = (shared.Mlflow, shared.Fixture);

        var names = await fixture.NamesAsync(mlflow, "");

        Assert.Equal(["beta-22", "beta-1", "alpha-2", "alpha-1"], names);
    }

    [Theory]
    [InlineData("metrics.loss", "alpha-2,alpha-1,beta-1,beta-22")]
    [InlineData("metrics.loss ASC", "alpha-2,alpha-1,beta-1,beta-22")]
    [InlineData("metrics.loss DESC", "alpha-1,alpha-2,beta-1,beta-22")]
    [InlineData("metrics.acc ASC", "beta-22,alpha-2,alpha-1,beta-1")]
    [InlineData("metric.acc desc", "alpha-1,alpha-2,beta-22,beta-1")]
    [InlineData("metrics.`val loss` DESC", "alpha-2,beta-22,beta-1,alpha-1")]
    [InlineData("metrics.never_logged ASC", "beta-22,beta-1,alpha-2,alpha-1")]
    public async Task Metric_order_puts_nan_after_numbers_and_missing_values_last_in_both_directions(string orderBy, string expected)
    {
        var (mlflow, fixture) = (shared.Mlflow, shared.Fixture);

        var names = await fixture.NamesAsync(mlflow, "", orderBy);

        Assert.Equal(expected.Split(','), names);
    }

    [Theory]
    [InlineData("params.lr ASC", "alpha-2,alpha-1,beta-1,beta-22")]
    [InlineData("params.lr DESC", "beta-1,alpha-1,alpha-2,beta-22")]
    [InlineData("params.optimizer", "alpha-1,beta-1,alpha-2,beta-22")]
    [InlineData("tags.team ASC", "alpha-1,beta-1,alpha-2,beta-22")]
    [InlineData("tags.team DESC", "alpha-2,beta-1,alpha-1,beta-22")]
    [InlineData("tags.`my-tag` DESC", "alpha-1,beta-22,beta-1,alpha-2")]
    [InlineData("tags.\"mlflow.runName\" DESC", "beta-22,beta-1,alpha-2,alpha-1")]
    public async Task Param_and_tag_order_compares_strings_with_missing_values_last(string orderBy, string expected)
    {
        var (mlflow, fixture) = (shared.Mlflow, shared.Fixture);

        var names = await fixture.NamesAsync(mlflow, "", orderBy);

        Assert.Equal(expected.Split(','), names);
    }

    [Theory]
    [InlineData("attributes.run_name ASC", "alpha-1,alpha-2,beta-1,beta-22")]
    [InlineData("start_time ASC", "alpha-1,alpha-2,beta-1,beta-22")]
    [InlineData("created", "alpha-1,alpha-2,beta-1,beta-22")]
    [InlineData("end_time DESC", "beta-22,beta-1,alpha-1,alpha-2")]
    [InlineData("end_time ASC", "alpha-1,beta-1,beta-22,alpha-2")]
    [InlineData("status", "beta-1,alpha-1,beta-22,alpha-2")]
    [InlineData("attr.status DESC", "alpha-2,beta-22,alpha-1,beta-1")]
    [InlineData("user_id ASC", "beta-1,alpha-1,alpha-2,beta-22")]
    public async Task Attribute_order_falls_back_to_start_time_descending_on_ties(string orderBy, string expected)
    {
        var (mlflow, fixture) = (shared.Mlflow, shared.Fixture);

        var names = await fixture.NamesAsync(mlflow, "", orderBy);

        Assert.Equal(expected.Split(','), names);
    }

    [Theory]
    [InlineData("user_id DESC;start_time ASC", "beta-22,alpha-2,alpha-1,beta-1")]
    [InlineData("user_id ASC;metrics.loss DESC", "alpha-1,beta-1,alpha-2,beta-22")]
    [InlineData("metrics.val.loss DESC;params.lr ASC", "alpha-1,alpha-2,beta-1,beta-22")]
    public async Task Several_order_by_terms_apply_in_turn(string orderBy, string expected)
    {
        var (mlflow, fixture) = (shared.Mlflow, shared.Fixture);

        var names = await fixture.NamesAsync(mlflow, "", orderBy.Split(';'));

        Assert.Equal(expected.Split(','), names);
    }

    [Fact]
    public async Task Order_by_run_id_sorts_by_the_id_string()
    {
        var (mlflow, fixture) = (shared.Mlflow, shared.Fixture);
        var expected = RunFixture.Active.OrderBy(name => fixture.Ids[name], StringComparer.Ordinal);

        var names = await fixture.NamesAsync(mlflow, "", "run_id");

        Assert.Equal(expected, names);
    }

    [Fact]
    public async Task Order_by_experiment_id_spans_the_requested_experiments()
    {
        var (mlflow, fixture) = (shared.Mlflow, shared.Fixture);

        var body = await mlflow.OkAsync("runs/search", new
        {
            experiment_ids = new[] { fixture.ExperimentId, fixture.OtherExperimentId },
            order_by = new[] { "experiment_id DESC" },
        });

        Assert.Equal(["elsewhere-1", "beta-22", "beta-1", "alpha-2", "alpha-1"], RunFixture.RunNames(body));
    }

    [Fact]
    public async Task Runs_with_the_same_start_time_are_ordered_by_run_id()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experiment = await mlflow.CreateExperimentAsync("ties");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await mlflow.CreateRunAsync(experiment, $"tie-{i}", startTime: 7000));
        }

        var body = await mlflow.OkAsync("runs/search", new { experiment_ids = new[] { experiment } });

        var returned = body["runs"]!.AsArray().Select(r => (string)r!["info"]!["run_id"]!);
        Assert.Equal(ids.Order(StringComparer.Ordinal), returned);
    }
}
