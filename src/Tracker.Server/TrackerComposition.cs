using Tracker.Grpc;

namespace Tracker.Server;

/// <summary>What Tracker is made of, and what it serves.</summary>
internal static class TrackerComposition
{
    public static IServiceCollection AddTracker(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGrpcRuntime();
        return services;
    }

    public static WebApplication MapTracker(this WebApplication app)
    {
        // Liveness for orchestrators: the process answers HTTP.
        app.MapGet("/healthz", () => Results.Text("ok"));
        return app;
    }
}
