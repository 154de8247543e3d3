using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cairn.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LoggedModels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "logged_models",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    model_id = table.Column<string>(type: "TEXT", nullable: false),
                    experiment_id = table.Column<int>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    artifact_uri = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    status_message = table.Column<string>(type: "TEXT", nullable: true),
                    model_type = table.Column<string>(type: "TEXT", nullable: true),
                    source_run_id = table.Column<string>(type: "TEXT", nullable: true),
                    creation_timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    last_updated_timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    lifecycle_stage = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_logged_models", x => x.id);
                    table.ForeignKey(
                        name: "fk_logged_models_experiments_experiment_id",
                        column: x => x.experiment_id,
                        principalTable: "experiments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "logged_model_metrics",
                columns: table => new
                {
                    logged_model_id = table.Column<int>(type: "INTEGER", nullable: false),
                    key_id = table.Column<int>(type: "INTEGER", nullable: false),
                    run_id = table.Column<int>(type: "INTEGER", nullable: false),
                    timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    step = table.Column<long>(type: "INTEGER", nullable: false),
                    value = table.Column<double>(type: "REAL", nullable: false),
                    is_nan = table.Column<bool>(type: "INTEGER", nullable: false),
                    dataset_name = table.Column<string>(type: "TEXT", nullable: true),
                    dataset_digest = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_logged_model_metrics", x => new { x.logged_model_id, x.key_id, x.timestamp, x.step, x.run_id });
                    table.ForeignKey(
                        name: "fk_logged_model_metrics_logged_models_logged_model_id",
                        column: x => x.logged_model_id,
                        principalTable: "logged_models",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_logged_model_metrics_metric_keys_key_id",
                        column: x => x.key_id,
                        principalTable: "metric_keys",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_logged_model_metrics_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "logged_model_params",
                columns: table => new
                {
                    logged_model_id = table.Column<int>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_logged_model_params", x => new { x.logged_model_id, x.key });
                    table.ForeignKey(
                        name: "fk_logged_model_params_logged_models_logged_model_id",
                        column: x => x.logged_model_id,
                        principalTable: "logged_models",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "logged_model_tags",
                columns: table => new
                {
                    logged_model_id = table.Column<int>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_logged_model_tags", x => new { x.logged_model_id, x.key });
                    table.ForeignKey(
                        name: "fk_logged_model_tags_logged_models_logged_model_id",
                        column: x => x.logged_model_id,
                        principalTable: "logged_models",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "run_model_inputs",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    run_id = table.Column<int>(type: "INTEGER", nullable: false),
                    logged_model_id = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_run_model_inputs", x => x.id);
                    table.ForeignKey(
                        name: "fk_run_model_inputs_logged_models_logged_model_id",
                        column: x => x.logged_model_id,
                        principalTable: "logged_models",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_run_model_inputs_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "run_model_outputs",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    run_id = table.Column<int>(type: "INTEGER", nullable: false),
                    logged_model_id = table.Column<int>(type: "INTEGER", nullable: false),
                    step = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_run_model_outputs", x => x.id);
                    table.ForeignKey(
                        name: "fk_run_model_outputs_logged_models_logged_model_id",
                        column: x => x.logged_model_id,
                        principalTable: "logged_models",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_run_model_outputs_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_logged_model_metrics_key_id",
                table: "logged_model_metrics",
                column: "key_id");

            migrationBuilder.CreateIndex(
                name: "ix_logged_model_metrics_run_id",
                table: "logged_model_metrics",
                column: "run_id");

            migrationBuilder.CreateIndex(
                name: "ix_logged_models_experiment_id_lifecycle_stage_creation_timestamp",
                table: "logged_models",
                columns: new[] { "experiment_id", "lifecycle_stage", "creation_timestamp" });

            migrationBuilder.CreateIndex(
                name: "ix_logged_models_model_id",
                table: "logged_models",
                column: "model_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_run_model_inputs_logged_model_id",
                table: "run_model_inputs",
                column: "logged_model_id");

            migrationBuilder.CreateIndex(
                name: "ix_run_model_inputs_run_id_logged_model_id",
                table: "run_model_inputs",
                columns: new[] { "run_id", "logged_model_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_run_model_outputs_logged_model_id",
                table: "run_model_outputs",
                column: "logged_model_id");

            migrationBuilder.CreateIndex(
                name: "ix_run_model_outputs_run_id_logged_model_id_step",
                table: "run_model_outputs",
                columns: new[] { "run_id", "logged_model_id", "step" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "logged_model_metrics");

            migrationBuilder.DropTable(
                name: "logged_model_params");

            migrationBuilder.DropTable(
                name: "logged_model_tags");

            migrationBuilder.DropTable(
                name: "run_model_inputs");

            migrationBuilder.DropTable(
                name: "run_model_outputs");

            migrationBuilder.DropTable(
                name: "logged_models");
        }
    }
}
