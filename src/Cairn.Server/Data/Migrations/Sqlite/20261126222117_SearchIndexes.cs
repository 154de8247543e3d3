using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cairn.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_latest_metrics_key_id_value",
                table: "latest_metrics");

            migrationBuilder.CreateIndex(
                name: "ix_run_tags_key_value_run_id",
                table: "run_tags",
                columns: new[] { "key", "value", "run_id" });

            migrationBuilder.CreateIndex(
                name: "ix_params_key_value_run_id",
                table: "params",
                columns: new[] { "key", "value", "run_id" });

            migrationBuilder.CreateIndex(
                name: "ix_latest_metrics_key_id_value_is_nan_run_id",
                table: "latest_metrics",
                columns: new[] { "key_id", "value", "is_nan", "run_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_run_tags_key_value_run_id",
                table: "run_tags");

            migrationBuilder.DropIndex(
                name: "ix_params_key_value_run_id",
                table: "params");

            migrationBuilder.DropIndex(
                name: "ix_latest_metrics_key_id_value_is_nan_run_id",
                table: "latest_metrics");

            migrationBuilder.CreateIndex(
                name: "ix_latest_metrics_key_id_value",
                table: "latest_metrics",
                columns: new[] { "key_id", "value" });
        }
    }
}
