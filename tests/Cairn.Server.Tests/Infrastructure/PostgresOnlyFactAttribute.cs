namespace Cairn.Server.Tests.Infrastructure;

/// <summary>
/// A test that needs a real PostgreSQL beside whatever store the run uses (moving a SQLite install into one);
/// skipped, with the reason, when <c>CAIRN_TEST_POSTGRES</c> is not set (<see cref="TestDatabase.IsPostgres"/>).
/// </summary>
public sealed class PostgresOnlyFactAttribute : FactAttribute
{
    public PostgresOnlyFactAttribute(string why)
    {
        if (!TestDatabase.IsPostgres)
        {
            Skip = $"PostgreSQL only ({TestDatabase.Variable} is not set): {why}";
        }
    }
}
