using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cairn.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MetricSummaries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // One row per run, key and block of 1,024 steps (MetricSummary.BlockShift = 10), kept by the run-data
            // writer; clustered on its key like metrics. Min, max, first and last are null for a block of only NaN.
            migrationBuilder.Sql("""
                CREATE TABLE metric_summaries (
                    run_id INTEGER NOT NULL,
                    key_id INTEGER NOT NULL,
                    block INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    nan_count INTEGER NOT NULL,
                    min_step INTEGER NULL,
                    min_timestamp INTEGER NULL,
                    min_value REAL NULL,
                    max_step INTEGER NULL,
                    max_timestamp INTEGER NULL,
                    max_value REAL NULL,
                    first_step INTEGER NULL,
                    first_timestamp INTEGER NULL,
                    first_value REAL NULL,
                    last_step INTEGER NULL,
                    last_timestamp INTEGER NULL,
                    last_value REAL NULL,
                    CONSTRAINT pk_metric_summaries PRIMARY KEY (run_id, key_id, block)
                ) WITHOUT ROWID;
                """);

            // Existing points: counts first, then each block's extremes and ends picked from its step range with
            // the writer's tie-breaks (equal values go to the smallest step, then timestamp).
            migrationBuilder.Sql("""
                INSERT INTO metric_summaries (run_id, key_id, block, count, nan_count)
                SELECT run_id, key_id, step >> 10, count(*), sum(is_nan) FROM metrics GROUP BY run_id, key_id, step >> 10;
                """);
            migrationBuilder.Sql("""
                UPDATE metric_summaries AS s SET
                    (min_step, min_timestamp, min_value) = (SELECT step, timestamp, value FROM metrics AS m
                        WHERE m.run_id = s.run_id AND m.key_id = s.key_id AND m.step BETWEEN s.block << 10 AND (s.block << 10) + 1023 AND m.is_nan = 0
                        ORDER BY value, step, timestamp LIMIT 1),
                    (max_step, max_timestamp, max_value) = (SELECT step, timestamp, value FROM metrics AS m
                        WHERE m.run_id = s.run_id AND m.key_id = s.key_id AND m.step BETWEEN s.block << 10 AND (s.block << 10) + 1023 AND m.is_nan = 0
                        ORDER BY value DESC, step, timestamp LIMIT 1),
                    (first_step, first_timestamp, first_value) = (SELECT step, timestamp, value FROM metrics AS m
                        WHERE m.run_id = s.run_id AND m.key_id = s.key_id AND m.step BETWEEN s.block << 10 AND (s.block << 10) + 1023 AND m.is_nan = 0
                        ORDER BY step, timestamp, value LIMIT 1),
                    (last_step, last_timestamp, last_value) = (SELECT step, timestamp, value FROM metrics AS m
                        WHERE m.run_id = s.run_id AND m.key_id = s.key_id AND m.step BETWEEN s.block << 10 AND (s.block << 10) + 1023 AND m.is_nan = 0
                        ORDER BY step DESC, timestamp DESC, value DESC LIMIT 1);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "metric_summaries");
        }
    }
}
