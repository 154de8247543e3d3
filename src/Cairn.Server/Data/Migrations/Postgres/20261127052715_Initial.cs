using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Cairn.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    xml = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "experiments",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    artifact_location = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    lifecycle_stage = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    creation_time = table.Column<long>(type: "bigint", nullable: false),
                    last_update_time = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_experiments", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "metric_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metric_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "metric_summaries",
                columns: table => new
                {
                    run_id = table.Column<int>(type: "integer", nullable: false),
                    key_id = table.Column<int>(type: "integer", nullable: false),
                    block = table.Column<long>(type: "bigint", nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: false),
                    nan_count = table.Column<long>(type: "bigint", nullable: false),
                    min_step = table.Column<long>(type: "bigint", nullable: true),
                    min_timestamp = table.Column<long>(type: "bigint", nullable: true),
                    min_value = table.Column<double>(type: "double precision", nullable: true),
                    max_step = table.Column<long>(type: "bigint", nullable: true),
                    max_timestamp = table.Column<long>(type: "bigint", nullable: true),
                    max_value = table.Column<double>(type: "double precision", nullable: true),
                    first_step = table.Column<long>(type: "bigint", nullable: true),
                    first_timestamp = table.Column<long>(type: "bigint", nullable: true),
                    first_value = table.Column<double>(type: "double precision", nullable: true),
                    last_step = table.Column<long>(type: "bigint", nullable: true),
                    last_timestamp = table.Column<long>(type: "bigint", nullable: true),
                    last_value = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metric_summaries", x => new { x.run_id, x.key_id, x.block });
                });

            migrationBuilder.CreateTable(
                name: "registered_models",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    description = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    user_id = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    creation_time = table.Column<long>(type: "bigint", nullable: false),
                    last_updated_time = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_registered_models", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "registry_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    time = table.Column<long>(type: "bigint", nullable: false),
                    actor = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    action = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    model_id = table.Column<int>(type: "integer", nullable: false),
                    model_name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    version = table.Column<int>(type: "integer", nullable: true),
                    alias = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    before = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    after = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_registry_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_outbox_cursors",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    last_event_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_outbox_cursors", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhooks",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    url = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    events = table.Column<List<string>>(type: "text[]", nullable: false),
                    secret = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    description = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    creation_time = table.Column<long>(type: "bigint", nullable: false),
                    last_updated_time = table.Column<long>(type: "bigint", nullable: false),
                    after_event_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhooks", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "datasets",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    experiment_id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    digest = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    source_type = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    source = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    schema = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    profile = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_datasets", x => x.id);
                    table.ForeignKey(
                        name: "fk_datasets_experiments_experiment_id",
                        column: x => x.experiment_id,
                        principalTable: "experiments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "experiment_tags",
                columns: table => new
                {
                    experiment_id = table.Column<int>(type: "integer", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    value = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_experiment_tags", x => new { x.experiment_id, x.key });
                    table.ForeignKey(
                        name: "fk_experiment_tags_experiments_experiment_id",
                        column: x => x.experiment_id,
                        principalTable: "experiments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "logged_models",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    model_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    experiment_id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    artifact_uri = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    status_message = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    model_type = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    source_run_id = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    creation_timestamp = table.Column<long>(type: "bigint", nullable: false),
                    last_updated_timestamp = table.Column<long>(type: "bigint", nullable: false),
                    lifecycle_stage = table.Column<string>(type: "text", nullable: false, collation: "C")
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
                name: "runs",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    uuid = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    experiment_id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    user_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    start_time = table.Column<long>(type: "bigint", nullable: false),
                    end_time = table.Column<long>(type: "bigint", nullable: true),
                    artifact_uri = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    lifecycle_stage = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    deleted_time = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_runs", x => x.id);
                    table.ForeignKey(
                        name: "fk_runs_experiments_experiment_id",
                        column: x => x.experiment_id,
                        principalTable: "experiments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "model_aliases",
                columns: table => new
                {
                    model_id = table.Column<int>(type: "integer", nullable: false),
                    alias = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_model_aliases", x => new { x.model_id, x.alias });
                    table.ForeignKey(
                        name: "fk_model_aliases_registered_models_model_id",
                        column: x => x.model_id,
                        principalTable: "registered_models",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "model_versions",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    model_id = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    creation_time = table.Column<long>(type: "bigint", nullable: false),
                    last_updated_time = table.Column<long>(type: "bigint", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    stage = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    description = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    source = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    storage_location = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    run_id = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    run_link = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    logged_model_id = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    status_message = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    deleted = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_model_versions", x => x.id);
                    table.ForeignKey(
                        name: "fk_model_versions_registered_models_model_id",
                        column: x => x.model_id,
                        principalTable: "registered_models",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "registered_model_tags",
                columns: table => new
                {
                    model_id = table.Column<int>(type: "integer", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    value = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_registered_model_tags", x => new { x.model_id, x.key });
                    table.ForeignKey(
                        name: "fk_registered_model_tags_registered_models_model_id",
                        column: x => x.model_id,
                        principalTable: "registered_models",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    webhook_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    uuid = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    event_id = table.Column<long>(type: "bigint", nullable: true),
                    action = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    payload = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    attempt_count = table.Column<int>(type: "integer", nullable: false),
                    creation_time = table.Column<long>(type: "bigint", nullable: false),
                    next_attempt_time = table.Column<long>(type: "bigint", nullable: false),
                    completion_time = table.Column<long>(type: "bigint", nullable: true),
                    lease_until = table.Column<long>(type: "bigint", nullable: false),
                    lease_owner = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_deliveries_webhooks_webhook_id",
                        column: x => x.webhook_id,
                        principalTable: "webhooks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "logged_model_params",
                columns: table => new
                {
                    logged_model_id = table.Column<int>(type: "integer", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    value = table.Column<string>(type: "text", nullable: false, collation: "C")
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
                    logged_model_id = table.Column<int>(type: "integer", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    value = table.Column<string>(type: "text", nullable: false, collation: "C")
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
                name: "latest_metrics",
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
                    table.PrimaryKey("pk_latest_metrics", x => new { x.run_id, x.key_id });
                    table.ForeignKey(
                        name: "fk_latest_metrics_metric_keys_key_id",
                        column: x => x.key_id,
                        principalTable: "metric_keys",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_latest_metrics_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "logged_model_metrics",
                columns: table => new
                {
                    logged_model_id = table.Column<int>(type: "integer", nullable: false),
                    key_id = table.Column<int>(type: "integer", nullable: false),
                    run_id = table.Column<int>(type: "integer", nullable: false),
                    timestamp = table.Column<long>(type: "bigint", nullable: false),
                    step = table.Column<long>(type: "bigint", nullable: false),
                    value = table.Column<double>(type: "double precision", nullable: false),
                    is_nan = table.Column<bool>(type: "boolean", nullable: false),
                    dataset_name = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    dataset_digest = table.Column<string>(type: "text", nullable: true, collation: "C")
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

            // The largest table by far: a compact row per point, keyed by (run, key, step, timestamp, value, is_nan),
            // with no foreign keys to check per inserted row and no index beyond the key, as on SQLite. Runs are only
            // soft-deleted (gc deletes their points first), and keys are never deleted.
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
                });

            migrationBuilder.CreateTable(
                name: "params",
                columns: table => new
                {
                    run_id = table.Column<int>(type: "integer", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    value = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_params", x => new { x.run_id, x.key });
                    table.ForeignKey(
                        name: "fk_params_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "run_inputs",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_id = table.Column<int>(type: "integer", nullable: false),
                    dataset_id = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_run_inputs", x => x.id);
                    table.ForeignKey(
                        name: "fk_run_inputs_datasets_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "datasets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_run_inputs_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "run_model_inputs",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_id = table.Column<int>(type: "integer", nullable: false),
                    logged_model_id = table.Column<int>(type: "integer", nullable: false)
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
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_id = table.Column<int>(type: "integer", nullable: false),
                    logged_model_id = table.Column<int>(type: "integer", nullable: false),
                    step = table.Column<long>(type: "bigint", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "run_tags",
                columns: table => new
                {
                    run_id = table.Column<int>(type: "integer", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    value = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_run_tags", x => new { x.run_id, x.key });
                    table.ForeignKey(
                        name: "fk_run_tags_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "model_version_tags",
                columns: table => new
                {
                    model_version_id = table.Column<int>(type: "integer", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    value = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_model_version_tags", x => new { x.model_version_id, x.key });
                    table.ForeignKey(
                        name: "fk_model_version_tags_model_versions_model_version_id",
                        column: x => x.model_version_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_delivery_attempts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    delivery_id = table.Column<long>(type: "bigint", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    time = table.Column<long>(type: "bigint", nullable: false),
                    duration_ms = table.Column<int>(type: "integer", nullable: false),
                    http_status = table.Column<int>(type: "integer", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_delivery_attempts", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_delivery_attempts_webhook_deliveries_delivery_id",
                        column: x => x.delivery_id,
                        principalTable: "webhook_deliveries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "input_tags",
                columns: table => new
                {
                    run_input_id = table.Column<int>(type: "integer", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    value = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_input_tags", x => new { x.run_input_id, x.key });
                    table.ForeignKey(
                        name: "fk_input_tags_run_inputs_run_input_id",
                        column: x => x.run_input_id,
                        principalTable: "run_inputs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "webhook_outbox_cursors",
                columns: new[] { "id", "last_event_id" },
                values: new object[] { 1, 0L });

            migrationBuilder.CreateIndex(
                name: "ix_datasets_experiment_id_name_digest",
                table: "datasets",
                columns: new[] { "experiment_id", "name", "digest" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_experiments_name",
                table: "experiments",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_latest_metrics_key_id_value_is_nan_run_id",
                table: "latest_metrics",
                columns: new[] { "key_id", "value", "is_nan", "run_id" });

            migrationBuilder.CreateIndex(
                name: "ix_logged_model_metrics_key_id",
                table: "logged_model_metrics",
                column: "key_id");

            migrationBuilder.CreateIndex(
                name: "ix_logged_model_metrics_run_id",
                table: "logged_model_metrics",
                column: "run_id");

            migrationBuilder.CreateIndex(
                name: "ix_logged_models_experiment_id_lifecycle_stage_creation_timest",
                table: "logged_models",
                columns: new[] { "experiment_id", "lifecycle_stage", "creation_timestamp" });

            migrationBuilder.CreateIndex(
                name: "ix_logged_models_model_id",
                table: "logged_models",
                column: "model_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_metric_keys_name",
                table: "metric_keys",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_model_version_tags_key_value_model_version_id",
                table: "model_version_tags",
                columns: new[] { "key", "value", "model_version_id" });

            migrationBuilder.CreateIndex(
                name: "ix_model_versions_logged_model_id",
                table: "model_versions",
                column: "logged_model_id");

            migrationBuilder.CreateIndex(
                name: "ix_model_versions_model_id_stage_deleted_id",
                table: "model_versions",
                columns: new[] { "model_id", "stage", "deleted", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_model_versions_model_id_version",
                table: "model_versions",
                columns: new[] { "model_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_model_versions_run_id",
                table: "model_versions",
                column: "run_id");

            migrationBuilder.CreateIndex(
                name: "ix_params_key_value_run_id",
                table: "params",
                columns: new[] { "key", "value", "run_id" });

            migrationBuilder.CreateIndex(
                name: "ix_registered_model_tags_key_value_model_id",
                table: "registered_model_tags",
                columns: new[] { "key", "value", "model_id" });

            migrationBuilder.CreateIndex(
                name: "ix_registered_models_last_updated_time",
                table: "registered_models",
                column: "last_updated_time");

            migrationBuilder.CreateIndex(
                name: "ix_registered_models_name",
                table: "registered_models",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_registry_events_model_id_id",
                table: "registry_events",
                columns: new[] { "model_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_registry_events_model_name_id",
                table: "registry_events",
                columns: new[] { "model_name", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_run_inputs_dataset_id",
                table: "run_inputs",
                column: "dataset_id");

            migrationBuilder.CreateIndex(
                name: "ix_run_inputs_run_id_dataset_id",
                table: "run_inputs",
                columns: new[] { "run_id", "dataset_id" },
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

            migrationBuilder.CreateIndex(
                name: "ix_run_tags_key_value_run_id",
                table: "run_tags",
                columns: new[] { "key", "value", "run_id" });

            migrationBuilder.CreateIndex(
                name: "ix_runs_experiment_id_lifecycle_stage_start_time",
                table: "runs",
                columns: new[] { "experiment_id", "lifecycle_stage", "start_time" });

            migrationBuilder.CreateIndex(
                name: "ix_runs_uuid",
                table: "runs",
                column: "uuid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_pending",
                table: "webhook_deliveries",
                columns: new[] { "webhook_id", "id" },
                filter: "status = 'pending'");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_uuid",
                table: "webhook_deliveries",
                column: "uuid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_webhook_id_id",
                table: "webhook_deliveries",
                columns: new[] { "webhook_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_delivery_attempts_delivery_id_number",
                table: "webhook_delivery_attempts",
                columns: new[] { "delivery_id", "number" });

            // MLflow's default experiment: id 0, always present (the identity column starts at 1 for the rest).
            migrationBuilder.Sql("INSERT INTO experiments (id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', 0, 0);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "experiment_tags");

            migrationBuilder.DropTable(
                name: "input_tags");

            migrationBuilder.DropTable(
                name: "latest_metrics");

            migrationBuilder.DropTable(
                name: "logged_model_metrics");

            migrationBuilder.DropTable(
                name: "logged_model_params");

            migrationBuilder.DropTable(
                name: "logged_model_tags");

            migrationBuilder.DropTable(
                name: "metric_summaries");

            migrationBuilder.DropTable(
                name: "metrics");

            migrationBuilder.DropTable(
                name: "model_aliases");

            migrationBuilder.DropTable(
                name: "model_version_tags");

            migrationBuilder.DropTable(
                name: "params");

            migrationBuilder.DropTable(
                name: "registered_model_tags");

            migrationBuilder.DropTable(
                name: "registry_events");

            migrationBuilder.DropTable(
                name: "run_model_inputs");

            migrationBuilder.DropTable(
                name: "run_model_outputs");

            migrationBuilder.DropTable(
                name: "run_tags");

            migrationBuilder.DropTable(
                name: "webhook_delivery_attempts");

            migrationBuilder.DropTable(
                name: "webhook_outbox_cursors");

            migrationBuilder.DropTable(
                name: "run_inputs");

            migrationBuilder.DropTable(
                name: "metric_keys");

            migrationBuilder.DropTable(
                name: "model_versions");

            migrationBuilder.DropTable(
                name: "logged_models");

            migrationBuilder.DropTable(
                name: "webhook_deliveries");

            migrationBuilder.DropTable(
                name: "datasets");

            migrationBuilder.DropTable(
                name: "runs");

            migrationBuilder.DropTable(
                name: "registered_models");

            migrationBuilder.DropTable(
                name: "webhooks");

            migrationBuilder.DropTable(
                name: "experiments");
        }
    }
}
