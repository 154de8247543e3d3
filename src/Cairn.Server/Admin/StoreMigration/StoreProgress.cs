namespace Cairn.Server.Admin.StoreMigration;

/// <summary>What a store migration is doing to a table: copying it, or checking the copy against the source.</summary>
public enum StorePhase
{
    Copy,
    Check,
}

/// <summary>How far a table's copy or check has come.</summary>
public sealed record StoreProgress(string Table, StorePhase Phase, long Rows, long Total, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed > TimeSpan.Zero ? Rows / Elapsed.TotalSeconds : 0;
}

/// <summary>One table moved: its rows, how long the copy took, and the checksum both sides agreed on.</summary>
public sealed record TableReport(string Table, long Rows, TimeSpan CopyTime, string Checksum)
{
    public double RowsPerSecond => CopyTime > TimeSpan.Zero ? Rows / CopyTime.TotalSeconds : 0;
}

/// <summary>A finished migration: every table, the source's migrations applied first (usually none), and the total time.</summary>
public sealed record StoreMigrationReport(IReadOnlyList<TableReport> Tables, IReadOnlyList<string> SourceMigrationsApplied, TimeSpan Elapsed)
{
    public long Rows => Tables.Sum(t => t.Rows);
}
