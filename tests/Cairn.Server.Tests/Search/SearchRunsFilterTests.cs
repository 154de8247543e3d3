using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Search;

/// <summary>runs/search filters over <see cref="RunFixture"/>: each case lists exactly the active runs of experiment "search" it matches.</summary>
public sealed class SearchRunsFilterTests(SearchRunsApp shared) : IClassFixture<SearchRunsApp>
{
    [Theory]
    [InlineData("metrics.loss = 0.5", "alpha-1")]
    [InlineData("metrics.loss != 0.5", "alpha-2,beta-1")]
    [InlineData("metrics.loss > 0.25", "alpha-1")]
    [InlineData("metrics.loss >= 0.25", "alpha-1,alpha-2")]
    [InlineData("metrics.loss < 0.5", "alpha-2")]
    [InlineData("metrics.loss <= 0.5", "alpha-1,alpha-2")]
    [InlineData("metrics.loss > 1", "")]
    [InlineData("metrics.loss < 3e-1", "alpha-2")]
    [InlineData("metrics.acc != 0.9", "alpha-2,beta-22")]
    [InlineData("metrics.acc >= 0.8", "alpha-1,alpha-2")]
    [InlineData("metrics.delta < -1", "beta-22")]
    [InlineData("metrics.delta = -2.5", "beta-22")]
    [InlineData("metrics.val.loss < 1", "alpha-1")]
    [InlineData("metrics.`val loss` < 1", "alpha-2")]
    [InlineData("metrics.\"val loss\" = 0.3", "alpha-2")]
    [InlineData("metric.acc > 0", "alpha-1,alpha-2,beta-22")]
    [InlineData("metrics.Loss < 1", "")]
    [InlineData("metrics.never_logged != 1", "")]
    public async Task Metric_clauses_compare_the_latest_value_and_exclude_runs_without_the_metric(string filter, string expected)
    {
        var (mlflow, fixture) = (shared.Mlflow, shared.Fixture);

        var names = await fixture.NamesAsync(mlflow, filter);

        Assert.Equal(RunFixture.Set(expected), RunFixture.Set(names));
    }

    [Theory]
    [InlineData("metrics.loss = 0", "")]
    [InlineData("metrics.loss < 1", "alpha-1,alpha-2")]
    [InlineData("metrics.loss > -1000000", "alpha-1,alpha-2")]
    [InlineData("metrics.loss != 123", "alpha-1,alpha-2,beta-1")]
    public async Task A_nan_metric_matches_only_not_equal(string filter, string expected)
    {
        var (mlflow, fixture) = (shared.Mlflow, shared.Fixture);

        var names = await fixture.NamesAsync(mlflow, filter);

        Assert.Equal(RunFixture.Set(expected), RunFixture.Set(names));
    }

    [Theory]
    [InlineData("params.lr = '0.1'", "alpha-1")]
    [InlineData("params.lr != '0.1'", "alpha-2,beta-1")]
    [InlineData("params.lr LIKE '0.%'", "alpha-1,alpha-2")]
    [InlineData("params.lr LIKE '0._'", "alpha-1")]
    [InlineData("params.optimizer = 'sgd'", "beta-22")]
    [InlineData("params.optimizer LIKE 'adam%'", "alpha-2")]
    [InlineData("params.optimizer ILIKE 'adam%'", "alpha-1,alpha-2")]
    [InlineData("params.optimizer LIKE '_GD'", "beta-1")]
    [InlineData("params.optimizer ILIKE '_gd'", "beta-1,beta-22")]
    [InlineData("params.optimizer ILIKE 'ADAMW'", "alpha-2")]
    [InlineData("params.optimizer LIKE 'ADAMW'", "")]
    [InlineData("parameters.optimizer != \"Adam\"", "alpha-2,beta-1,beta-22")]
    [InlineData("params.LR = '0.1'", "")]
    [InlineData("params.missing != 'x'", "")]
    public async Task Param_clauses_compare_strings_with_case_sensitive_like_and_case_insensitive_ilike(string filter, string expected)
    {
        var (mlflow, fixture) = (shared.Mlflow, shared.Fixture);

        var names = await fixture.NamesAsync(mlflow, filter);

        Assert.Equal(RunFixture.Set(expected), RunFixture.Set(names));
    }

    [Theory]
    [InlineData("tags.team = 'Vision'", "alpha-1")]
    [InlineData("tags.team != 'Vision'", "alpha-2,beta-1")]
    [InlineData("tags.team LIKE 'vis%'", "alpha-2")]
    [InlineData("tags.team ILIKE 'VIS%'", "alpha-1,alpha-2")]
    [InlineData("tags.team LIKE '%i%'", "alpha-1,alpha-2,beta-1")]
    [InlineData("tags.team ILIKE '_nfra'", "beta-1")]
    [InlineData("tag.\"my-tag\" = 'x1'", "alpha-1")]
    [InlineData("tags.`mlflow.runName` = 'beta-1'", "beta-1")]
    [InlineData("tags.mlflow.runName LIKE 'beta%'", "beta-1,beta-22")]
    [InlineData("tags.`my-tag` != 'other'", "alpha-1")]
    public async Task Tag_clauses_compare_strings_and_exclude_runs_without_the_tag(string filter, string expected)
    {
        var (mlflow, fixture) = (shared.Mlflow, shared.Fixture);

        var names = await fixture.NamesAsync(mlflow, filter);

        Assert.Equal(RunFixture.Set(expected), RunFixture.Set(names));
    }

    [Theory]
    [InlineData("run_id = '{alpha-2}'", "alpha-2")]
    [InlineData("attributes.run_id IN ('{alpha-1}', '{beta-1}', '{gone}')", "alpha-1,beta-1")]
    [InlineData("attribute.run_id NOT IN ('{alpha-1}')", "alpha-2,beta-1,beta-22")]
    [InlineData("run_id != '{alpha-1}'", "alpha-2,beta-1,beta-22")]
    [InlineData("run_name = 'alpha-1'", "alpha-1")]
    [InlineData("run_name != 'alpha-1'", "alpha-2,beta-1,beta-22")]
    [InlineData("attributes.run_name LIKE 'beta%'", "beta-1,beta-22")]
    [InlineData("run_name LIKE 'beta-_'", "beta-1")]
    [InlineData("run_name ILIKE 'ALPHA%'", "alpha-1,alpha-2")]
    [InlineData("attributes.`Run name` = 'beta-22'", "beta-22")]
    [InlineData("status = 'FINISHED'", "alpha-1")]
    [InlineData("attr.status != 'RUNNING'", "alpha-1,beta-1,beta-22")]
    [InlineData("status LIKE 'F%'", "alpha-1,beta-1")]
    [InlineData("status ILIKE 'killed'", "beta-22")]
    [InlineData("user_id = 'ana'", "alpha-1,beta-1")]
    [InlineData("run.user_id != 'ana'", "alpha-2,beta-22")]
    [InlineData("artifact_uri LIKE '%{alpha-1}%'", "alpha-1")]
    [InlineData("start_time = 2000", "alpha-2")]
    [InlineData("start_time != 2000", "alpha-1,beta-1,beta-22")]
    [InlineData("start_time >= 3000", "beta-1,beta-22")]
    [InlineData("attributes.start_time > 3000", "beta-22")]
    [InlineData("created < 2000", "alpha-1")]
    [InlineData("created <= 2000", "alpha-1,alpha-2")]
    [InlineData("end_time > 3000", "beta-1,beta-22")]
    [InlineData("end_time <= 1500", "alpha-1")]
    [InlineData("end_time != 1500", "beta-1,beta-22")]
    public async Task Attribute_clauses_filter_on_run_info(string filter, string expected)
    {
        var (mlflow, fixture) = (shared.Mlflow, shared.Fixture);

        var names = await fixture.NamesAsync(mlflow, filter);

        Assert.Equal(RunFixture.Set(expected), RunFixture.Set(names));
    }

    [Theory]
    [InlineData("datasets.name = 'iris'", "alpha-1,alpha-2")]
    [InlineData("datasets.name != 'iris'", "alpha-2,beta-1")]
    [InlineData("dataset.digest = 'd2'", "alpha-2")]
    [InlineData("datasets.context = 'training'", "alpha-1,alpha-2")]
    [InlineData("datasets.context = 'eval'", "alpha-2")]
    [InlineData("datasets.name IN ('wine', 'digits')", "alpha-2,beta-1")]
    [InlineData("datasets.name NOT IN ('iris')", "alpha-2,beta-1")]
    [InlineData("datasets.digest IN ('d1')", "alpha-1,alpha-2")]
    [InlineData("datasets.context IN ('testing', 'nothing')", "beta-1")]
    [InlineData("datasets.name LIKE 'i%'", "alpha-1,alpha-2")]
    [InlineData("datasets.name ILIKE 'IRIS'", "alpha-1,alpha-2")]
    [InlineData("datasets.context = 'eval' AND datasets.name = 'iris'", "alpha-2")]
    public async Task Dataset_clauses_match_a_run_when_any_of_its_inputs_matches(string filter, string expected)
    {
        var (mlflow, fixture) = (shared.Mlflow, shared.Fixture);

        var names = await fixture.NamesAsync(mlflow, filter);

        Assert.Equal(RunFixture.Set(expected), RunFixture.Set(names));
    }

    [Theory]
    [InlineData("params.optimizer ILIKE 'adam%' and metrics.loss < 0.4 AND tags.team = 'vision'", "alpha-2")]
    [InlineData("user_id = 'ana' AND metrics.loss >= 0", "alpha-1")]
    [InlineData("status != 'RUNNING' AND start_time > 1000 AND params.optimizer ILIKE 'sgd'", "beta-1,beta-22")]
    [InlineData("tags.team = 'Vision' AND tags.team = 'vision'", "")]
    public async Task Clauses_are_anded(string filter, string expected)
    {
        var (mlflow, fixture) = (shared.Mlflow, shared.Fixture);

        var names = await fixture.NamesAsync(mlflow, filter);

        Assert.Equal(RunFixture.Set(expected), RunFixture.Set(names));
    }
}
