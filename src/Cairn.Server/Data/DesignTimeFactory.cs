using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Cairn.Server.Data;

/// <summary>Lets <c>dotnet ef migrations add --context SqliteCairnDb</c> build the model without starting the server.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCairnDb>
{
    public SqliteCairnDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCairnDb>().UseSqlite("Data Source=design.db").UseSnakeCaseNamingConvention().Options);
}

/// <summary>Lets <c>dotnet ef migrations add --context PostgresCairnDb</c> build the model; it never connects.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCairnDb>
{
    public PostgresCairnDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCairnDb>().UseNpgsql("Host=localhost;Database=cairn").UseSnakeCaseNamingConvention().Options);
}
