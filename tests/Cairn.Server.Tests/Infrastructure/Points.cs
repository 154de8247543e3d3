namespace Cairn.Server.Tests.Infrastructure;

/// <summary>Builders for wire objects used across tests.</summary>
public static class Points
{
    public static object Metric(string key, object value, long timestamp = 1000, long step = 0) => new { key, value, timestamp, step };

    public static object Kv(string key, string value) => new { key, value };
}
