using Npgsql;

namespace Cairn.Server.Hosting;

/// <summary>
/// Reads <c>postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=require</c> (also <c>postgresql://</c>), the form
/// libpq, Heroku-style <c>DATABASE_URL</c>s and most managed PostgreSQL offerings print, into a Npgsql connection
/// string. User and password are percent-decoded; the query takes libpq's parameter names that have a Npgsql twin.
/// </summary>
public static class PostgresUrl
{
    private static readonly Dictionary<string, string> QueryKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["target_session_attrs"] = "Target Session Attributes",
        ["options"] = "Options",
    };

    public static bool IsUrl(string database) =>
        database.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || database.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    public static bool TryParse(string url, out string? connectionString, out string? error)
    {
        connectionString = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            error = "the URL is not of the form postgres://USER:PASSWORD@HOST:PORT/DATABASE";
            return false;
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host.Trim('[', ']') };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            if (!QueryKeys.TryGetValue(name, out var key))
            {
                error = $"the URL parameter '{name}' is not one of {string.Join(", ", QueryKeys.Keys)}";
                return false;
            }

            try
            {
                builder[key] = value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                error = $"the URL parameter {name}={value} is invalid ({e.Message})";
                return false;
            }
        }

        connectionString = builder.ConnectionString;
        error = null;
        return true;
    }
}
