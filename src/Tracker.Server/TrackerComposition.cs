using Tracker.Api.V1Alpha1;
using Tracker.Events;
using Tracker.Events.Hosting;
using Tracker.Events.Postgres;
using Tracker.Events.Sqlite;
using Tracker.Grpc;
using Tracker.Grpc.Transcoding;

namespace Tracker.Server;

/// <summary>What Tracker is made of, and what it serves.</summary>
internal static class TrackerComposition
{
    public static IServiceCollection AddTracker(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGrpcRuntime();
        services.AddGrpcHealth();
        services.AddGrpcReflection();
        services.AddGrpcTranscoding(options =>
        {
            options.OpenApiTitle = "Tracker API";
            options.OpenApiVersion = "v1alpha1";
            options.AddSourceInfo(typeof(EventRpcService).Assembly.GetManifestResourceStream("protoset-with-source-info")!);
        });
        services.AddTrackerEvents(configuration);
        services.AddEventStore(configuration);
        services.AddSingleton<StoreReadiness>();
        services.AddHostedService<StoreReadinessMonitor>();
        return services;
    }

    public static WebApplication MapTracker(this WebApplication app)
    {
        app.MapGrpcService<EventRpcService>(EventServiceReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("EventService"));
        app.MapGrpcHealth();
        app.MapGrpcReflection();
        app.MapGrpcTranscoding();

        // For orchestrators: alive (the process answers HTTP), and ready (the store answers too).
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", async (StoreReadiness readiness, CancellationToken cancellationToken) =>
            await readiness.CheckAsync(cancellationToken) ? Results.Text("ready") : Results.Text("event store unreachable", statusCode: 503));
        return app;
    }

    /// <summary>The store named by Storage:Provider: Sqlite (the default) or Postgres.</summary>
    private static IServiceCollection AddEventStore(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration["Storage:Provider"];
        return provider?.ToLowerInvariant() switch
        {
            null or "" or "sqlite" => services.AddSqliteEventStore(configuration),
            "postgres" => services.AddPostgresEventStore(configuration),
            _ => throw new InvalidOperationException($"Storage:Provider '{provider}' is not supported; use Sqlite or Postgres."),
        };
    }
}
