using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Tracking;

public sealed class MetricSeriesTests
{
    [Fact]
    public async Task A_short_series_comes_whole_as_get_history_gives_it()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        await mlflow.LogBatchAsync(runId, metrics: [Points.Metric("loss", 0.3, 30, 3), Points.Metric("loss", "NaN", 10, 1), Points.Metric("loss", 0.2, 20, 2), Points.Metric("loss", 0.25, 21, 2), Points.Metric("other", 9.0)]);

        var series = (await SeriesAsync(app, ("run_id", runId), ("metric_key", "loss"))).Ok();
        var history = (await mlflow.GetAsync("metrics/get-history", ("run_id", runId), ("metric_key", "loss"))).Ok();

        Assert.Equal("loss", (string)series["key"]!);
        Assert.Equal(4, (long)series["total_points"]!);
        Assert.False((bool)series["downsampled"]!);
        Assert.Equal(PointsOf(history["metrics"]!), PointsOf(series["points"]!));
    }

    [Fact]
    public async Task A_long_series_is_downsampled_keeping_its_extremes_and_ends()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        var random = new Random(42);
        var value = 0.0;
        var points = new List<object>();
        for (var step = 0; step < 120_000; step++)
        {
            value += random.NextDouble() - 0.5;
            points.Add(Points.Metric("loss", step switch { 77_777 => -1e6, 103_457 => 1e6, _ when step % 10_007 == 0 => "NaN", _ => value }, 1_000 + step, step));
        }

        foreach (var batch in points.Chunk(1000))
        {
            await mlflow.LogBatchAsync(runId, metrics: batch);
        }

        var history = PointsOf((await mlflow.GetAsync("metrics/get-history", ("run_id", runId), ("metric_key", "loss"))).Ok()["metrics"]!);
        var numbers = history.Where(p => !double.IsNaN(p.Value)).ToList();
        var stored = history.ToHashSet();

        // 400 points: 100 stretches of one or two summary blocks. 1,000 points: 250 stretches, more than the 118
        // blocks, so the raw points are cut instead.
        foreach (var maxPoints in (int[])[400, 1000])
        {
            var series = (await SeriesAsync(app, ("run_id", runId), ("metric_key", "loss"), ("max_points", $"{maxPoints}"))).Ok();
            var sampled = PointsOf(series["points"]!);

            Assert.Equal(120_000, (long)series["total_points"]!);
            Assert.True((bool)series["downsampled"]!);
            Assert.InRange(sampled.Count, maxPoints / 2, maxPoints);
            Assert.All(sampled, p => Assert.Contains(p, stored));
            Assert.True(IsInHistoryOrder(sampled), "points out of order");
            Assert.Contains(numbers.MinBy(p => p.Value), sampled);
            Assert.Contains(numbers.MaxBy(p => p.Value), sampled);
            Assert.Equal(numbers[0], sampled[0]);
            Assert.Equal(numbers[^1], sampled[^1]);
        }
    }

    [Fact]
    public async Task Points_logged_at_one_step_are_cut_from_the_raw_points_keeping_the_extremes()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        var random = new Random(3);
        object[] points = [.. Enumerable.Range(0, 5000).Select(t => Points.Metric("m", t switch { 1234 => -50.0, 4321 => 50.0, _ => random.NextDouble() }, t, 0))];
        foreach (var batch in points.Chunk(1000))
        {
            await mlflow.LogBatchAsync(runId, metrics: batch);
        }

        var series = (await SeriesAsync(app, ("run_id", runId), ("metric_key", "m"), ("max_points", "100"))).Ok();
        var sampled = PointsOf(series["points"]!);

        Assert.Equal(5000, (long)series["total_points"]!);
        Assert.True((bool)series["downsampled"]!);
        Assert.InRange(sampled.Count, 50, 100);
        Assert.True(IsInHistoryOrder(sampled), "points out of order");
        Assert.Contains(sampled, p => p is { Timestamp: 1234, Value: -50.0 });
        Assert.Contains(sampled, p => p is { Timestamp: 4321, Value: 50.0 });
    }

    [Fact]
    public async Task Points_sent_again_are_counted_once()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        object[] points = [.. Enumerable.Range(0, 1300).Select(i => Points.Metric("m", i % 17, 5, i))];

        await mlflow.LogBatchAsync(runId, metrics: points[..1000]);
        await mlflow.LogBatchAsync(runId, metrics: points[..1000]);
        await mlflow.LogBatchAsync(runId, metrics: [.. points[500..1000], .. points[1000..1300], .. points[1000..1200]]);
        await mlflow.OkAsync("runs/log-metric", new { run_id = runId, key = "m", value = 1299 % 17, timestamp = 5, step = 1299 });

        var series = (await SeriesAsync(app, ("run_id", runId), ("metric_key", "m"), ("max_points", "10000"))).Ok();

        Assert.Equal(1300, (long)series["total_points"]!);
        Assert.Equal(1300, series["points"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_key_never_logged_is_an_empty_series()
    {
        await using var app = new CairnApp();
        var runId = await app.Mlflow().CreateRunAsync("0");

        var series = (await SeriesAsync(app, ("run_id", runId), ("metric_key", "nothing"))).Ok();

        Assert.Equal(0, (long)series["total_points"]!);
        Assert.Empty(series["points"]!.AsArray());
    }

    [Theory]
    [InlineData("9")]
    [InlineData("10001")]
    [InlineData("many")]
    public async Task Max_points_must_be_a_number_from_10_to_10000(string maxPoints)
    {
        await using var app = new CairnApp();
        var runId = await app.Mlflow().CreateRunAsync("0");

        var response = await SeriesAsync(app, ("run_id", runId), ("metric_key", "m"), ("max_points", maxPoints));

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'max_points'");
    }

    [Fact]
    public async Task The_series_needs_a_known_run_and_a_metric_key()
    {
        await using var app = new CairnApp();
        var runId = await app.Mlflow().CreateRunAsync("0");

        var unknown = await SeriesAsync(app, ("run_id", "00000000000000000000000000000000"), ("metric_key", "m"));
        var noKey = await SeriesAsync(app, ("run_id", runId));
        var noRun = await SeriesAsync(app, ("metric_key", "m"));

        unknown.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "00000000000000000000000000000000");
        noKey.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'metric_key'");
        noRun.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'run_id'");
    }

    [Fact]
    public async Task The_series_is_served_under_the_path_base()
    {
        await using var app = new CairnApp(new() { ["Cairn:PathBase"] = "/mlflow" });
        var runId = await app.Mlflow("/mlflow/api/2.0/mlflow").CreateRunAsync("0");

        var series = await app.Mlflow("/mlflow/api/v1/metrics").GetAsync("series", ("run_id", runId), ("metric_key", "m"));

        series.Ok();
    }

    private static Task<MlflowResponse> SeriesAsync(CairnApp app, params (string Key, string Value)[] query) =>
        app.Mlflow("/api/v1/metrics").GetAsync("series", query);

    private static List<(long Step, long Timestamp, double Value)> PointsOf(JsonNode points) =>
        [.. points.AsArray().Select(p => ((long)p!["step"]!, (long)p["timestamp"]!, ValueOf(p["value"]!)))];

    private static double ValueOf(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.String ? double.Parse((string)value!, CultureInfo.InvariantCulture) : (double)value;

    private static bool IsInHistoryOrder(List<(long Step, long Timestamp, double Value)> points) =>
        points.Zip(points.Skip(1)).All(pair => pair.First.CompareTo(pair.Second) < 0);
}
