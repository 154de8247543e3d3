using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Cairn.Server.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the server.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<CairnDb>
{
    public CairnDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<CairnDb>().UseSqlite("Data Source=design.db").UseSnakeCaseNamingConvention().Options);
}
