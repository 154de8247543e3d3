using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Cairn.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MetricSegments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "metric_segments",
                columns: table => new
                {
                    run_id = table.Column<int>(type: "integer", nullable: false),
                    key_id = table.Column<int>(type: "integer", nullable: false),
                    block = table.Column<long>(type: "bigint", nullable: false),
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    points = table.Column<int>(type: "integer", nullable: false),
                    steps = table.Column<long[]>(type: "bigint[]", nullable: false)
                        .Annotation("Npgsql:Compression:", "lz4"),
                    timestamps = table.Column<long[]>(type: "bigint[]", nullable: false)
                        .Annotation("Npgsql:Compression:", "lz4"),
                    values = table.Column<double[]>(type: "double precision[]", nullable: false)
                        .Annotation("Npgsql:Compression:", "lz4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metric_segments", x => new { x.run_id, x.key_id, x.block, x.seq });
                });

            // Points already stored move into one segment per block, in get-history's order (NaN back to itself).
            migrationBuilder.Sql("""
                INSERT INTO metric_segments (run_id, key_id, block, points, steps, timestamps, values)
                SELECT run_id, key_id, step >> 10, count(*),
                    array_agg(step ORDER BY step, timestamp, value, is_nan),
                    array_agg(timestamp ORDER BY step, timestamp, value, is_nan),
                    array_agg(CASE WHEN is_nan THEN 'NaN'::double precision ELSE value END ORDER BY step, timestamp, value, is_nan)
                FROM metrics GROUP BY run_id, key_id, step >> 10
                """);

            migrationBuilder.DropTable(
                name: "metrics");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "metrics",
                columns: table => new
                {
                    run_id = table.Column<int>(type: "integer", nullable: false),
                    key_id = table.Column<int>(type: "integer", nullable: false),
                    step = table.Column<long>(type: "bigint", nullable: false),
                    timestamp = table.Column<long>(type: "bigint", nullable: false),
                    value = table.Column<double>(type: "double precision", nullable: false),
                    is_nan = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metrics", x => new { x.run_id, x.key_id, x.step, x.timestamp, x.value, x.is_nan });
                    table.ForeignKey(
                        name: "fk_metrics_metric_keys_key_id",
                        column: x => x.key_id,
                        principalTable: "metric_keys",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_metrics_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_metrics_key_id",
                table: "metrics",
                column: "key_id");

            migrationBuilder.Sql("""
                INSERT INTO metrics (run_id, key_id, step, timestamp, value, is_nan)
                SELECT DISTINCT s.run_id, s.key_id, p.step, p.timestamp, CASE WHEN p.value = 'NaN' THEN 0 ELSE p.value END, p.value = 'NaN'
                FROM metric_segments AS s, unnest(s.steps, s.timestamps, s.values) AS p(step, timestamp, value)
                """);

            migrationBuilder.DropTable(
                name: "metric_segments");
        }
    }
}
