using Microsoft.Extensions.Configuration.Memory;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Tracker.Events.Telemetry;
using Tracker.Server.Transport;

namespace Tracker.Server;

/// <summary>
/// OpenTelemetry for Tracker: traces of every request (ASP.NET Core, with gRPC's attributes),
/// through the handler to the store's calls (<see cref="StoreTelemetry"/>) and PostgreSQL's
/// commands (Npgsql); metrics of ASP.NET Core, Kestrel, the rate limiter, the .NET runtime, Npgsql
/// and every meter of Tracker's own ("Tracker.*"), served in Prometheus text format on
/// <c>GET /metrics</c>; and everything sent by OTLP (traces, metrics and logs) when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. The service is named <c>tracker</c> unless
/// <c>OTEL_SERVICE_NAME</c> says otherwise.
/// </summary>
internal static class TrackerTelemetry
{
    public const string ServiceName = "tracker";
    public const string MetricsPath = "/metrics";

    /// <summary>The meters exported besides Tracker's own.</summary>
    public static readonly string[] FrameworkMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.RateLimiting",
    ];

    /// <summary>
    /// The instrumentation's (experimental) gRPC support: a gRPC request's span is named after its
    /// method and carries rpc.system.name, rpc.method and rpc.response.status_code. On unless
    /// configured otherwise (it is read from configuration, so the environment can turn it off).
    /// </summary>
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_ENABLE_GRPC_INSTRUMENTATION"] = "true",
    };

    private const string NpgsqlMeter = "Npgsql";
    private const string RequestDurationName = "http.server.request.duration";

    /// <summary>http.server.request.duration's bucket bounds, in seconds: 1 ms to 10 s.</summary>
    private static readonly double[] RequestDurationBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2.5, 5, 10];

    private const string StoreDurationName = "db.client.operation.duration";

    // Probes and scrapes come every few seconds: measured, but not traced.
    private static readonly string[] UntracedPaths = [MetricsPath, "/healthz", "/readyz"];

    public static WebApplicationBuilder AddTrackerTelemetry(this WebApplicationBuilder builder)
    {
        IConfigurationBuilder sources = builder.Configuration;
        sources.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        var configuration = builder.Configuration;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                serviceName: configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : ServiceName,
                serviceVersion: typeof(TrackerTelemetry).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options =>
                    options.Filter = context => !UntracedPaths.Any(path => context.Request.Path.Equals(path, StringComparison.OrdinalIgnoreCase)))
                .AddSource(StoreTelemetry.ActivitySourceName)
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter("Tracker.*")
                .AddMeter(FrameworkMeters)
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                // Npgsql times each SQL command under the same name as Tracker's store calls, which
                // Prometheus would serve as one family of two label sets; commands are in traces.
                .AddView(instrument => instrument.Meter.Name == NpgsqlMeter && instrument.Name == StoreDurationName ? MetricStreamConfiguration.Drop : null)
                // ASP.NET Core's advised buckets jump from 100 to 250 ms; Tracker's calls take
                // milliseconds, so its p99 under load needs the steps in between (bench scenario j).
                .AddView(RequestDurationName, new ExplicitBucketHistogramConfiguration { Boundaries = RequestDurationBuckets })
                // Every scrape collects afresh, so a scrape right after a call sees it.
                .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0));
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// Tags each gRPC and gRPC-Web call's request duration with its status
    /// (<see cref="GrpcStatusMetricTag"/>). Goes after gRPC-Web's translation, which keeps the
    /// trailers it writes into the body in its own feature, and before authentication and the
    /// limiter, so their refusals are tagged too.
    /// </summary>
    public static WebApplication UseTrackerTelemetry(this WebApplication app)
    {
        app.UseMiddleware<GrpcStatusMetricTag>();
        return app;
    }

    /// <summary>Prometheus text format on <c>GET /metrics</c>, on every endpoint, with no credentials asked.</summary>
    public static WebApplication MapTrackerTelemetry(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
