using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cairn.Server.Operations;

/// <summary>
/// OpenTelemetry traces of requests, database calls (EF Core on either store, and Npgsql's own) and outgoing HTTP
/// (webhook deliveries, S3), exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; off otherwise. The
/// exporter takes the standard <c>OTEL_*</c> settings (protocol, headers, batch delay). Metrics stay on <c>/metrics</c>.
/// </summary>
public static class Tracing
{
    public const string EndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddCairnTracing(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[EndpointSetting]))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "cairn"))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = http => !http.Request.Path.StartsWithSegments("/metrics"))
                .AddEntityFrameworkCoreInstrumentation()
                .AddSource("Npgsql")
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        return services;
    }
}
