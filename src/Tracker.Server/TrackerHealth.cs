using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tracker.Api.V1Alpha1;

namespace Tracker.Server;

/// <summary>
/// Health for orchestrators and gRPC clients, all built on ASP.NET Core health checks: the
/// event store check decides <c>/readyz</c> and grpc.health.v1 for "" and for EventService;
/// <c>/healthz</c> only says the process answers HTTP.
/// </summary>
internal static class TrackerHealth
{
    private const string ReadyTag = "ready";

    /// <summary>How often grpc.health.v1 Watch streams learn of a change of the store's state.</summary>
    public static readonly TimeSpan PublishPeriod = TimeSpan.FromSeconds(2);

    public static IServiceCollection AddTrackerHealth(this IServiceCollection services)
    {
        services.AddGrpcHealthChecks(options =>
            {
                options.Services.Map(string.Empty, result => result.Tags.Contains(ReadyTag));
                options.Services.Map(EventService.Descriptor.FullName, result => result.Tags.Contains(ReadyTag));
            })
            .Add(new HealthCheckRegistration(
                "event-store",
                services => services.GetRequiredService<EventStoreHealthCheck>(),
                HealthStatus.Unhealthy,
                [ReadyTag]));
        services.AddSingleton<EventStoreHealthCheck>();
        services.Configure<HealthCheckPublisherOptions>(options =>
        {
            options.Delay = TimeSpan.Zero;
            options.Period = PublishPeriod;
            options.Timeout = EventStoreHealthCheck.Timeout;
        });
        return services;
    }

    public static WebApplication MapTrackerHealth(this WebApplication app)
    {
        app.MapGrpcHealthChecksService();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}
