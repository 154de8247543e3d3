namespace Cairn.Cli.Tests;

/// <summary>The server comes from --server, else CAIRN_URL, else ~/.cairn/config.json, else http://127.0.0.1:5000.</summary>
public sealed class ServerResolutionTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "cairn-tests", "home-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void The_flag_beats_the_environment_which_beats_the_config_file()
    {
        WriteConfig("{\"server\": \"http://from-config:5000\"}");
        var environment = new Dictionary<string, string?> { ["HOME"] = _home, ["CAIRN_URL"] = "http://from-env:5000" };

        Assert.Equal("from-flag", ServerResolution.Resolve("http://from-flag:5000", environment.GetValueOrDefault).Host);
        Assert.Equal("from-env", ServerResolution.Resolve(null, environment.GetValueOrDefault).Host);
        environment.Remove("CAIRN_URL");
        Assert.Equal("from-config", ServerResolution.Resolve(null, environment.GetValueOrDefault).Host);
    }

    [Fact]
    public void Without_any_setting_the_default_server_is_used()
    {
        var environment = new Dictionary<string, string?> { ["HOME"] = _home };

        Assert.Equal(new Uri("http://127.0.0.1:5000/"), ServerResolution.Resolve(null, environment.GetValueOrDefault));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://cairn")]
    public void A_bad_server_names_where_it_came_from(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => ServerResolution.Resolve(value, _ => null));

        Assert.Contains("--server", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_config_file_is_named()
    {
        WriteConfig("{ not json");

        var error = Assert.Throws<ArgumentException>(() => ServerResolution.Resolve(null, name => name == "HOME" ? _home : null));

        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_home))
        {
            Directory.Delete(_home, recursive: true);
        }
    }

    private void WriteConfig(string json)
    {
        Directory.CreateDirectory(Path.Combine(_home, ".cairn"));
        File.WriteAllText(Path.Combine(_home, ".cairn", "config.json"), json);
    }
}
