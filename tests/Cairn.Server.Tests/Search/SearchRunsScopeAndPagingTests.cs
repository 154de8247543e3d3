using System.Net;
using System.Text;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Search;

/// <summary>runs/search: which runs are candidates (run_view_type, experiment_ids), paging, and request errors.</summary>
public sealed class SearchRunsScopeAndPagingTests
{
    [Theory]
    [InlineData(null, "alpha-1,alpha-2,beta-1,beta-22")]
    [InlineData("ACTIVE_ONLY", "alpha-1,alpha-2,beta-1,beta-22")]
    [InlineData("DELETED_ONLY", "gone")]
    [InlineData("ALL", "alpha-1,alpha-2,beta-1,beta-22,gone")]
    public async Task Run_view_type_selects_active_deleted_or_all_runs(string? viewType, string expected)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var fixture = await RunFixture.CreateAsync(mlflow);

        var body = await mlflow.OkAsync("runs/search", new { experiment_ids = new[] { fixture.ExperimentId }, run_view_type = viewType });

        Assert.Equal(RunFixture.Set(expected), RunFixture.Set(RunFixture.RunNames(body)));
    }

    [Theory]
    [InlineData("other", null, "elsewhere-1")]
    [InlineData("both", null, "alpha-1,elsewhere-1")]
    [InlineData("both", "ALL", "alpha-1,elsewhere-1,gone")]
    [InlineData("search", "ALL", "alpha-1,gone")]
    public async Task Experiment_ids_restrict_the_runs_searched(string experiments, string? viewType, string expected)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var fixture = await RunFixture.CreateAsync(mlflow);
        string[] ids = experiments switch
        {
            "other" => [fixture.OtherExperimentId],
            "search" => [fixture.ExperimentId],
            _ => [fixture.ExperimentId, fixture.OtherExperimentId],
        };

        var body = await mlflow.OkAsync("runs/search", new { experiment_ids = ids, filter = "params.lr = '0.1'", run_view_type = viewType });

        Assert.Equal(RunFixture.Set(expected), RunFixture.Set(RunFixture.RunNames(body)));
    }

    [Fact]
    public async Task The_last_page_has_no_next_page_token()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var fixture = await RunFixture.CreateAsync(mlflow);

        var first = await mlflow.OkAsync("runs/search", new { experiment_ids = new[] { fixture.ExperimentId }, max_results = 3 });
        var token = (string?)first["next_page_token"];
        var second = await mlflow.OkAsync("runs/search", new { experiment_ids = new[] { fixture.ExperimentId }, max_results = 3, page_token = token });

        Assert.Equal(["beta-22", "beta-1", "alpha-2"], RunFixture.RunNames(first));
        Assert.False(string.IsNullOrEmpty(token));
        Assert.Equal(["alpha-1"], RunFixture.RunNames(second));
        Assert.Null(second["next_page_token"]);
    }

    [Theory]
    [InlineData(1, "metrics.loss ASC")]
    [InlineData(2, "metrics.loss ASC")]
    [InlineData(1, "metrics.acc DESC")]
    [InlineData(3, "metrics.acc ASC")]
    [InlineData(1, "metrics.`val loss` DESC")]
    [InlineData(3, "metrics.never_logged ASC")]
    [InlineData(3, "start_time DESC")]
    [InlineData(2, "tags.team DESC")]
    public async Task Following_page_tokens_returns_every_run_once_in_order(int pageSize, string orderBy)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var fixture = await RunFixture.CreateAsync(mlflow);
        var all = await fixture.NamesAsync(mlflow, "", orderBy);

        var paged = await AllPagesAsync(mlflow, fixture.ExperimentId, pageSize, orderBy);

        Assert.Equal(4, all.Count);
        Assert.Equal(all, paged);
    }

    [Theory]
    [InlineData(50_001)]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Max_results_outside_1_to_50000_is_invalid(int maxResults)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experiment = await mlflow.CreateExperimentAsync("e");

        var response = await mlflow.PostAsync("runs/search", new { experiment_ids = new[] { experiment }, max_results = maxResults });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "max_results");
    }

    [Fact]
    public async Task Max_results_of_50000_is_allowed()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experiment = await mlflow.CreateExperimentAsync("e");
        await mlflow.CreateRunAsync(experiment, "only");

        var body = await mlflow.OkAsync("runs/search", new { experiment_ids = new[] { experiment }, max_results = 50_000 });

        Assert.Equal(["only"], RunFixture.RunNames(body));
        Assert.Null(body["next_page_token"]);
    }

    [Theory]
    [InlineData("not a token!")]
    [InlineData("aGVsbG8=")]
    [InlineData("offset:-5")]
    [InlineData("offset:abc")]
    public async Task A_page_token_the_server_did_not_issue_is_invalid(string token)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experiment = await mlflow.CreateExperimentAsync("e");
        var sent = token.StartsWith("offset:", StringComparison.Ordinal) ? Convert.ToBase64String(Encoding.UTF8.GetBytes(token)) : token;

        var response = await mlflow.PostAsync("runs/search", new { experiment_ids = new[] { experiment }, page_token = sent });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", sent);
    }

    [Theory]
    [InlineData("params.a = 'x' OR params.b = 'y'", "OR params.b")]
    [InlineData("metrics.loss <", "metrics.loss <")]
    [InlineData("tags.team = 'Vision", "tags.team = 'Vision")]
    [InlineData("foo.bar = 'x'", "foo")]
    [InlineData("bogus_attribute = 'x'", "bogus_attribute")]
    [InlineData("datasets.size = 'x'", "size")]
    [InlineData("run_id IN ()", "run_id IN ()")]
    [InlineData("params.a = 'x' AND", "params.a = 'x' AND")]
    [InlineData("metrics.loss > 1 extra", "extra")]
    public Task A_malformed_filter_is_invalid_parameter_value_naming_the_offending_text(string filter, string mentions) =>
        FilterIsRejectedAsync(filter, mentions);

    [Theory]
    [InlineData("params.p > 'x'", "'p'")]
    [InlineData("tags.t >= 'x'", "'t'")]
    [InlineData("params.p IN ('x')", "'p'")]
    [InlineData("metrics.m LIKE '1'", "'m'")]
    [InlineData("metrics.m = 'abc'", "'m'")]
    [InlineData("metrics.m IN ('1')", "'m'")]
    [InlineData("start_time LIKE '1%'", "'start_time'")]
    [InlineData("start_time = 'abc'", "'start_time'")]
    [InlineData("end_time > 1.5", "'end_time'")]
    [InlineData("run_name IN ('a')", "'run_name'")]
    [InlineData("status > 'RUNNING'", "'status'")]
    [InlineData("run_id IN 'a'", "'run_id'")]
    [InlineData("datasets.name > 'iris'", "'name'")]
    public Task A_comparator_or_value_the_entity_does_not_allow_is_invalid(string filter, string mentions) =>
        FilterIsRejectedAsync(filter, mentions);

    [Theory]
    [InlineData("metrics.loss sideways", "sideways")]
    [InlineData("no_such_attribute", "no_such_attribute")]
    [InlineData("datasets.name", "name")]
    public async Task A_bad_order_by_term_is_invalid(string orderBy, string mentions)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experiment = await mlflow.CreateExperimentAsync("e");

        var response = await mlflow.PostAsync("runs/search", new { experiment_ids = new[] { experiment }, order_by = new[] { orderBy } });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", mentions);
    }

    [Fact]
    public async Task A_null_order_by_entry_is_invalid_parameter_value_not_an_internal_error()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experiment = await mlflow.CreateExperimentAsync("e");

        var response = await mlflow.PostAsync("runs/search", new { experiment_ids = new[] { experiment }, order_by = new string?[] { null } });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "order_by");
    }

    private static async Task<List<string>> AllPagesAsync(MlflowClient mlflow, string experimentId, int pageSize, string orderBy)
    {
        var names = new List<string>();
        string? token = null;
        for (var page = 0; page < 10; page++)
        {
            var body = await mlflow.OkAsync("runs/search", new { experiment_ids = new[] { experimentId }, max_results = pageSize, order_by = new[] { orderBy }, page_token = token });
            var pageNames = RunFixture.RunNames(body);
            Assert.True(pageNames.Count <= pageSize, $"page {page} has {pageNames.Count} runs, more than {pageSize}");
            names.AddRange(pageNames);
            token = (string?)body["next_page_token"];
            if (string.IsNullOrEmpty(token))
            {
                return names;
            }
        }

        Assert.Fail("the server kept returning next_page_token after 10 pages of a 4-run experiment");
        return names;
    }

    private static async Task FilterIsRejectedAsync(string filter, string mentions)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experiment = await mlflow.CreateExperimentAsync("e");

        var response = await mlflow.PostAsync("runs/search", new { experiment_ids = new[] { experiment }, filter });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", mentions);
    }
}
