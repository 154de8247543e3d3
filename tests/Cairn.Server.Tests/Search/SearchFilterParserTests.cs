using Cairn.Server.Mlflow;
using Cairn.Server.Tracking.Search;

namespace Cairn.Server.Tests.Search;

public sealed class SearchFilterParserTests
{
    [Theory]
    [InlineData("metric.k = 1", SearchEntity.Metric)]
    [InlineData("metrics.k = 1", SearchEntity.Metric)]
    [InlineData("METRICS.k = 1", SearchEntity.Metric)]
    [InlineData("param.k = 'v'", SearchEntity.Param)]
    [InlineData("params.k = 'v'", SearchEntity.Param)]
    [InlineData("parameter.k = 'v'", SearchEntity.Param)]
    [InlineData("parameters.k = 'v'", SearchEntity.Param)]
    [InlineData("tag.k = 'v'", SearchEntity.Tag)]
    [InlineData("tags.k = 'v'", SearchEntity.Tag)]
    [InlineData("attribute.k = 'v'", SearchEntity.Attribute)]
    [InlineData("attributes.k = 'v'", SearchEntity.Attribute)]
    [InlineData("attr.k = 'v'", SearchEntity.Attribute)]
    [InlineData("run.k = 'v'", SearchEntity.Attribute)]
    [InlineData("dataset.k = 'v'", SearchEntity.Dataset)]
    [InlineData("datasets.k = 'v'", SearchEntity.Dataset)]
    [InlineData("k = 'v'", SearchEntity.Attribute)]
    [InlineData("`tags`.k = 'v'", SearchEntity.Tag)]
    public void Every_entity_prefix_and_alias_names_its_entity(string filter, SearchEntity entity)
    {
        var clause = Assert.Single(SearchFilterParser.ParseFilter(filter));

        Assert.Equal(entity, clause.Entity);
        Assert.Equal("k", clause.Key);
    }

    [Theory]
    [InlineData("metrics.val.loss < 1", "val.loss")]
    [InlineData("tags.mlflow.runName = 'x'", "mlflow.runName")]
    [InlineData("tags.\"my-tag\" = 'x'", "my-tag")]
    [InlineData("tags.`mlflow.runName` = 'x'", "mlflow.runName")]
    [InlineData("metrics.`val loss` < 1", "val loss")]
    [InlineData("params.\"learning rate\" = 'x'", "learning rate")]
    [InlineData("`tags`.`a.b c` = 'x'", "a.b c")]
    public void The_identifier_splits_at_the_first_dot_and_quoted_keys_keep_dots_spaces_and_dashes(string filter, string key)
    {
        var clause = Assert.Single(SearchFilterParser.ParseFilter(filter));

        Assert.Equal(key, clause.Key);
    }

    [Theory]
    [InlineData("=", "=")]
    [InlineData("!=", "!=")]
    [InlineData("<>", "!=")]
    [InlineData(">", ">")]
    [InlineData(">=", ">=")]
    [InlineData("<", "<")]
    [InlineData("<=", "<=")]
    [InlineData("LIKE", "LIKE")]
    [InlineData("like", "LIKE")]
    [InlineData("ILIKE", "ILIKE")]
    [InlineData("iLike", "ILIKE")]
    public void Every_scalar_comparator_is_read_and_upper_cased(string written, string comparator)
    {
        var clause = Assert.Single(SearchFilterParser.ParseFilter($"params.p {written} 'v'"));

        Assert.Equal(comparator, clause.Comparator);
        Assert.Equal(new SearchValue.Text("v"), clause.Value);
    }

    [Theory]
    [InlineData("run_id IN ('a', \"b\",'c')", "IN")]
    [InlineData("run_id in ('a','b','c')", "IN")]
    [InlineData("run_id NOT IN ('a', 'b', 'c')", "NOT IN")]
    [InlineData("run_id not   in('a','b','c')", "NOT IN")]
    public void In_and_not_in_take_a_list_of_quoted_strings(string filter, string comparator)
    {
        var clause = Assert.Single(SearchFilterParser.ParseFilter(filter));

        Assert.Equal(comparator, clause.Comparator);
        Assert.Equal(new[] { "a", "b", "c" }, Assert.IsType<SearchValue.List>(clause.Value).Values);
    }

    [Theory]
    [InlineData("-1", -1.0)]
    [InlineData("0.25", 0.25)]
    [InlineData("-0.5", -0.5)]
    [InlineData("1e-3", 0.001)]
    [InlineData("2.5E+2", 250.0)]
    [InlineData("42", 42.0)]
    public void Numbers_may_be_negative_decimal_or_use_an_exponent(string literal, double value)
    {
        var clause = Assert.Single(SearchFilterParser.ParseFilter($"metrics.m >= {literal}"));

        Assert.Equal(new SearchValue.Number(value, literal), clause.Value);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("-NaN")]
    public void Nan_is_not_a_number_literal_even_though_double_parse_accepts_it(string literal)
    {
        var error = Assert.Throws<MlflowException>(() => SearchFilterParser.ParseFilter($"metrics.m = {literal}"));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains(literal, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clauses_are_joined_by_and_in_any_case()
    {
        var clauses = SearchFilterParser.ParseFilter("metrics.m>1 and params.p = 'x' AnD tags.t ILIKE \"%y%\"   AND   status != 'RUNNING'");

        Assert.Equal(
            new[]
            {
                new SearchClause(SearchEntity.Metric, "m", ">", new SearchValue.Number(1, "1")),
                new SearchClause(SearchEntity.Param, "p", "=", new SearchValue.Text("x")),
                new SearchClause(SearchEntity.Tag, "t", "ILIKE", new SearchValue.Text("%y%")),
                new SearchClause(SearchEntity.Attribute, "status", "!=", new SearchValue.Text("RUNNING")),
            },
            clauses);
    }

    [Fact]
    public void A_doubled_quote_inside_a_string_is_one_quote()
    {
        var clause = Assert.Single(SearchFilterParser.ParseFilter("params.p = 'it''s'"));

        Assert.Equal(new SearchValue.Text("it's"), clause.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_filter_has_no_clauses(string? filter) =>
        Assert.Empty(SearchFilterParser.ParseFilter(filter));

    [Theory]
    [InlineData("params.a = 'x' OR params.b = 'y'", "OR params.b = 'y'")]
    [InlineData("metrics.m > 1 2", "'2'")]
    [InlineData("params.a = 'x' params.b = 'y'", "params.b = 'y'")]
    [InlineData("params.a = 'x' AND", "missing after 'AND'")]
    [InlineData("tags.t = 'abc", "no closing '")]
    [InlineData("tags.`abc = 'x'", "no closing `")]
    [InlineData("metrics.m >", "value is missing")]
    [InlineData("metrics.m", "comparator is missing")]
    [InlineData("metrics.m ~ 1", "invalid comparator")]
    [InlineData("run_id NOT ('a')", "'IN' after 'NOT'")]
    [InlineData("status = FINISHED", "'FINISHED' is not a valid value")]
    [InlineData("foo.bar = 'x'", "'foo'")]
    [InlineData("run_id IN ()", "list values must be quoted strings")]
    [InlineData("run_id IN ('a', 1)", "list values must be quoted strings")]
    [InlineData("run_id IN ('a'", "expected ',' or ')'")]
    [InlineData("run_id IN ('a' 'b')", "expected ',' or ')'")]
    [InlineData("tags. = 'x'", "expected an identifier")]
    public void A_malformed_filter_is_invalid_parameter_value_with_a_message_that_points_at_the_problem(string filter, string mentions)
    {
        var error = Assert.Throws<MlflowException>(() => SearchFilterParser.ParseFilter(filter));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains(mentions, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("metrics.loss", SearchEntity.Metric, "loss", true)]
    [InlineData("metrics.loss DESC", SearchEntity.Metric, "loss", false)]
    [InlineData("params.lr asc", SearchEntity.Param, "lr", true)]
    [InlineData("start_time desc", SearchEntity.Attribute, "start_time", false)]
    [InlineData("attributes.run_name", SearchEntity.Attribute, "run_name", true)]
    [InlineData("tags.\"my-tag\" DESC", SearchEntity.Tag, "my-tag", false)]
    [InlineData("`metrics`.`val loss` Desc", SearchEntity.Metric, "val loss", false)]
    [InlineData("  metrics.val.loss   ASC  ", SearchEntity.Metric, "val.loss", true)]
    public void An_order_by_term_is_an_identifier_and_an_optional_direction(string text, SearchEntity entity, string key, bool ascending) =>
        Assert.Equal(new OrderTerm(entity, key, ascending), SearchFilterParser.ParseOrderBy(text));

    [Theory]
    [InlineData("metrics.loss sideways", "sideways")]
    [InlineData("metrics.loss DESC ASC", "ASC")]
    [InlineData("foo.bar", "'foo'")]
    [InlineData("", "identifier")]
    public void A_malformed_order_by_term_is_invalid_parameter_value(string text, string mentions)
    {
        var error = Assert.Throws<MlflowException>(() => SearchFilterParser.ParseOrderBy(text));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains(mentions, error.Message, StringComparison.Ordinal);
    }
}
