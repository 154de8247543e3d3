using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Search;

/// <summary>experiments/search over <see cref="ExperimentFixture"/>, by POST body and by GET query string.</summary>
public sealed class SearchExperimentsTests
{
    [Theory]
    [InlineData("name = 'team-a/one'", "team-a/one")]
    [InlineData("name != 'team-a/one'", "Default,team-a/two,Team-B/three")]
    [InlineData("name LIKE 'team-%'", "team-a/one,team-a/two")]
    [InlineData("name ILIKE 'team-%'", "team-a/one,team-a/two,Team-B/three")]
    [InlineData("name LIKE '%/t%'", "team-a/two,Team-B/three")]
    [InlineData("attribute.name ILIKE 'DEFAULT'", "Default")]
    [InlineData("tags.owner = 'ana'", "team-a/one,Team-B/three")]
    [InlineData("tags.owner != 'ana'", "team-a/two")]
    [InlineData("tag.owner LIKE 'b%'", "team-a/two")]
    [InlineData("tags.owner ILIKE 'ANA'", "team-a/one,Team-B/three")]
    [InlineData("tags.`extra-key` = 'value'", "Team-B/three")]
    [InlineData("tags.\"extra-key\" != 'value'", "")]
    [InlineData("name LIKE 'team-a/%' and tags.owner = 'bob'", "team-a/two")]
    [InlineData("creation_time = {team-a/one}", "team-a/one")]
    [InlineData("creation_time != {team-a/one}", "Default,team-a/two,Team-B/three")]
    [InlineData("creation_time >= {team-a/two}", "team-a/two,Team-B/three")]
    [InlineData("creation_time > {team-a/two}", "Team-B/three")]
    [InlineData("creation_time < {team-a/two}", "Default,team-a/one")]
    [InlineData("creation_time <= 0", "Default")]
    [InlineData("last_update_time >= {team-a/two}", "team-a/two,Team-B/three")]
    public async Task Filters_on_name_tags_and_times_select_exactly_the_matching_experiments(string filter, string expected)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var fixture = await ExperimentFixture.CreateAsync(mlflow);

        var body = await mlflow.OkAsync("experiments/search", new { filter = fixture.Resolve(filter) });

        Assert.Equal(RunFixture.Set(expected), RunFixture.Set(ExperimentFixture.Names(body)));
    }

    [Theory]
    [InlineData(null, "team-a/one,team-a/two")]
    [InlineData("ACTIVE_ONLY", "team-a/one,team-a/two")]
    [InlineData("DELETED_ONLY", "team-c/old")]
    [InlineData("ALL", "team-a/one,team-a/two,team-c/old")]
    public async Task View_type_selects_active_deleted_or_all_experiments(string? viewType, string expected)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await ExperimentFixture.CreateAsync(mlflow);

        var body = await mlflow.OkAsync("experiments/search", new { filter = "name LIKE 'team-%'", view_type = viewType });

        Assert.Equal(RunFixture.Set(expected), RunFixture.Set(ExperimentFixture.Names(body)));
    }

    [Theory]
    [InlineData(null, "Team-B/three,team-a/two,team-a/one,Default")]
    [InlineData("creation_time DESC", "Team-B/three,team-a/two,team-a/one,Default")]
    [InlineData("creation_time", "Default,team-a/one,team-a/two,Team-B/three")]
    [InlineData("name", "Default,Team-B/three,team-a/one,team-a/two")]
    [InlineData("name DESC", "team-a/two,team-a/one,Team-B/three,Default")]
    [InlineData("experiment_id ASC", "Default,team-a/one,team-a/two,Team-B/three")]
    [InlineData("attributes.experiment_id desc", "Team-B/three,team-a/two,team-a/one,Default")]
    [InlineData("last_update_time ASC", "Default,team-a/one,team-a/two,Team-B/three")]
    public async Task Order_by_name_creation_time_or_experiment_id(string? orderBy, string expected)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await ExperimentFixture.CreateAsync(mlflow);

        var body = await mlflow.OkAsync("experiments/search", new { order_by = orderBy is null ? null : new[] { orderBy } });

        Assert.Equal(expected.Split(','), ExperimentFixture.Names(body));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Following_page_tokens_returns_every_experiment_once(int pageSize)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await ExperimentFixture.CreateAsync(mlflow);

        var names = new List<string>();
        string? token = null;
        var requests = 0;
        do
        {
            var body = await mlflow.OkAsync("experiments/search", new { max_results = pageSize, order_by = new[] { "name" }, page_token = token });
            names.AddRange(ExperimentFixture.Names(body));
            token = (string?)body["next_page_token"];
        }
        while (!string.IsNullOrEmpty(token) && ++requests < 10);

        Assert.Equal(["Default", "Team-B/three", "team-a/one", "team-a/two"], names);
    }

    [Fact]
    public async Task Get_reads_filter_view_type_max_results_repeated_order_by_and_page_token_from_the_query_string()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await ExperimentFixture.CreateAsync(mlflow);
        (string, string)[] query =
        [
            ("max_results", "2"), ("filter", "name ILIKE 'team%'"), ("view_type", "ALL"), ("order_by", "name DESC"), ("order_by", "experiment_id"),
        ];

        var first = (await mlflow.GetAsync("experiments/search", query)).Ok();
        var token = (string)first["next_page_token"]!;
        var second = (await mlflow.GetAsync("experiments/search", [.. query, ("page_token", token)])).Ok();

        Assert.Equal(["team-c/old", "team-a/two"], ExperimentFixture.Names(first));
        Assert.Equal(["team-a/one", "Team-B/three"], ExperimentFixture.Names(second));
    }

    [Fact]
    public async Task Get_with_view_type_deleted_only_returns_the_deleted_experiment()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await ExperimentFixture.CreateAsync(mlflow);

        var body = (await mlflow.GetAsync("experiments/search", ("view_type", "DELETED_ONLY"))).Ok();

        Assert.Equal(["team-c/old"], ExperimentFixture.Names(body));
    }

    [Fact]
    public async Task A_filter_matching_nothing_returns_no_experiments_and_no_token()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();

        var body = await mlflow.OkAsync("experiments/search", new { filter = "name = 'nope'" });

        Assert.Null(body["experiments"]);
        Assert.Null(body["next_page_token"]);
    }

    [Theory]
    [InlineData("invalid_attr = 'x'", "invalid_attr")]
    [InlineData("metrics.x > 1", "'x'")]
    [InlineData("params.x = 'a'", "'x'")]
    [InlineData("datasets.name = 'a'", "'name'")]
    [InlineData("name > 'a'", "'name'")]
    [InlineData("name IN ('a')", "'name'")]
    [InlineData("creation_time = 'abc'", "'creation_time'")]
    [InlineData("creation_time LIKE '1%'", "'creation_time'")]
    [InlineData("name = 'a' OR name = 'b'", "OR name = 'b'")]
    public async Task An_invalid_filter_is_invalid_parameter_value(string filter, string mentions)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();

        var post = await mlflow.PostAsync("experiments/search", new { filter });
        var get = await mlflow.GetAsync("experiments/search", ("filter", filter));

        post.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", mentions);
        get.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", mentions);
    }

    [Theory]
    [InlineData(4_294_967_297L)]
    [InlineData(-4_294_967_295L)]
    [InlineData(50_001L)]
    public async Task Max_results_outside_1_to_50000_is_invalid_even_when_it_overflows_an_int(long maxResults)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await ExperimentFixture.CreateAsync(mlflow);

        var response = await mlflow.PostAsync("experiments/search", new { max_results = maxResults });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "max_results");
    }

    [Fact]
    public async Task A_null_order_by_entry_is_invalid_parameter_value_not_an_internal_error()
    {
        await using var app = new CairnApp();

        var response = await app.Mlflow().PostAsync("experiments/search", new { order_by = new string?[] { null } });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "order_by");
    }

    [Theory]
    [InlineData("order_by", "foo", "foo")]
    [InlineData("order_by", "tags.owner", "tags.owner")]
    [InlineData("order_by", "metrics.m DESC", "metrics.m")]
    [InlineData("order_by", "name sideways", "sideways")]
    [InlineData("max_results", "50001", "max_results")]
    [InlineData("max_results", "0", "max_results")]
    [InlineData("max_results", "abc", "max_results")]
    [InlineData("page_token", "bogus", "bogus")]
    [InlineData("view_type", "SOME", "view_type")]
    public async Task Get_with_an_invalid_parameter_is_invalid_parameter_value(string key, string value, string mentions)
    {
        await using var app = new CairnApp();

        var response = await app.Mlflow().GetAsync("experiments/search", (key, value));

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", mentions);
    }
}
