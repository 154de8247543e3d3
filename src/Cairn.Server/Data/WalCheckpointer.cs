using Cairn.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Data;

/// <summary>
/// Moves SQLite's WAL checkpoints off the write path. The run-data writer turns automatic checkpoints off
/// for its connection, so a commit never also copies the log into the database file and syncs it; this
/// service does that on its own connection, every second, without blocking readers or the writer (PASSIVE).
/// </summary>
public sealed partial class WalCheckpointer(IOptions<CairnOptions> options, ILogger<WalCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var connection = new SqliteConnection(DatabaseSettings.SqliteConnectionString(options.Value));
        await connection.OpenAsync(stoppingToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await command.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (SqliteException e)
            {
                LogCheckpointFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A WAL checkpoint failed; the next one retries")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
