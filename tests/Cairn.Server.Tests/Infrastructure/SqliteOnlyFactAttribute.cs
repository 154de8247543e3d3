namespace Cairn.Server.Tests.Infrastructure;

/// <summary>
/// A test of something only the SQLite store has (its files, its migration history); skipped, with the reason,
/// when the run is on PostgreSQL (<see cref="TestDatabase.IsPostgres"/>).
/// </summary>
public sealed class SqliteOnlyFactAttribute : FactAttribute
{
    public SqliteOnlyFactAttribute(string why)
    {
        if (TestDatabase.IsPostgres)
        {
            Skip = $"SQLite only: {why}";
        }
    }
}
