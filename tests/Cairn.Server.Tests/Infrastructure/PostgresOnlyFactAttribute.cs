namespace Cairn.Server.Tests.Infrastructure;

/// <summary>
/// A test of something only PostgreSQL can do (several replicas on one database, a database restarted under a
/// running server, the target of a move from SQLite); skipped, with the reason, when <c>CAIRN_TEST_POSTGRES</c> is
/// not set (<see cref="TestDatabase.IsPostgres"/>).
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
