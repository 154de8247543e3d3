using Cairn.Server.Hosting;
using Npgsql;

namespace Cairn.Server.Tests.Hosting;

/// <summary>The forms <c>--database</c> takes, and what is never printed of them.</summary>
public sealed class DatabaseSettingsTests
{
    [Fact]
    public void Nothing_means_SQLite_in_the_data_folder()
    {
        var database = Parse(null);

        Assert.Equal(DatabaseProvider.Sqlite, database.Provider);
        Assert.Contains(Path.Combine(Path.GetFullPath("here"), "cairn.db"), database.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void A_SQLite_connection_string_stays_SQLite()
    {
        Assert.Equal(DatabaseProvider.Sqlite, Parse("Data Source=/var/lib/cairn/cairn.db").Provider);
    }

    [Fact]
    public void A_Npgsql_connection_string_means_PostgreSQL()
    {
        var database = Parse("Host=db.internal;Port=6432;Database=cairn;Username=cairn;Password=s3cret");

        Assert.Equal(DatabaseProvider.Postgres, database.Provider);
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        Assert.Equal(("db.internal", 6432, "cairn", "s3cret"), (builder.Host, builder.Port, builder.Database, builder.Password));
    }

    [Theory]
    [InlineData("postgres://cairn:p%40ss%3Aword@db.internal:6432/cairn?sslmode=require")]
    [InlineData("postgresql://cairn:p%40ss%3Aword@db.internal:6432/cairn?sslmode=require")]
    public void A_postgres_url_means_PostgreSQL_with_its_parts_decoded(string url)
    {
        var database = Parse(url);

        Assert.Equal(DatabaseProvider.Postgres, database.Provider);
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        Assert.Equal(("db.internal", 6432, "cairn", "cairn", "p@ss:word", SslMode.Require),
            (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password, builder.SslMode));
    }

    [Theory]
    [InlineData("not a connection string")]
    [InlineData("postgres://cairn@db.internal/cairn?no_such_parameter=1")]
    [InlineData("Port=5432;Database=cairn")]
    public void Anything_else_is_refused_at_start_naming_the_setting(string value)
    {
        var options = new CairnOptions { Data = "here", Database = value };

        var errors = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), errors, validateAllProperties: true);

        Assert.Contains(errors, e => e.ErrorMessage!.Contains("--database", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("postgres://cairn:s3cret@db.internal/cairn")]
    [InlineData("Host=db.internal;Username=cairn;Password=s3cret;Database=cairn")]
    [InlineData("Host=db.internal;PWD = 's3cret'")]
    public void Passwords_are_never_printed(string value)
    {
        var redacted = DatabaseSettings.Redact(value);

        Assert.DoesNotContain("s3cret", redacted, StringComparison.Ordinal);
        Assert.Contains("db.internal", redacted, StringComparison.Ordinal);
    }

    private static DatabaseConnection Parse(string? value) =>
        DatabaseSettings.Parse(new CairnOptions { Data = "here", Database = value }, out var error) ?? throw new InvalidOperationException(error);
}
