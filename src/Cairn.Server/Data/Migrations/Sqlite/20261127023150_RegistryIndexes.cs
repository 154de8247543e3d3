using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cairn.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RegistryIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_registered_model_tags_key_value_model_id",
                table: "registered_model_tags",
                columns: new[] { "key", "value", "model_id" });

            migrationBuilder.CreateIndex(
                name: "ix_model_versions_model_id_stage_deleted_id",
                table: "model_versions",
                columns: new[] { "model_id", "stage", "deleted", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_model_version_tags_key_value_model_version_id",
                table: "model_version_tags",
                columns: new[] { "key", "value", "model_version_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_registered_model_tags_key_value_model_id",
                table: "registered_model_tags");

            migrationBuilder.DropIndex(
                name: "ix_model_versions_model_id_stage_deleted_id",
                table: "model_versions");

            migrationBuilder.DropIndex(
                name: "ix_model_version_tags_key_value_model_version_id",
                table: "model_version_tags");
        }
    }
}
