using Grpc.Health.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Tracker.Grpc.Health;

namespace Tracker.Grpc;

/// <summary>Registers and binds the gRPC health service, grpc.health.v1.Health.</summary>
public static class GrpcHealthHostingExtensions
{
    /// <summary>Registers the service and the <see cref="GrpcHealthStatus"/> the host sets statuses on.</summary>
    public static IServiceCollection AddGrpcHealth(this IServiceCollection services)
    {
        services.AddGrpcRuntime();
        services.TryAddSingleton<GrpcHealthStatus>();
        services.TryAddSingleton<HealthService>();
        return services;
    }

    /// <summary>
    /// Binds grpc.health.v1.Health. When the application starts stopping, every service is
    /// reported NOT_SERVING and open Watch calls end, so they do not hold the shutdown up.
    /// </summary>
    public static WebApplication MapGrpcHealth(this WebApplication app)
    {
        app.MapGrpcService<HealthService>(HealthReflection.Descriptor.Services.Single(s => s.Name == "Health"));
        var status = app.Services.GetRequiredService<GrpcHealthStatus>();
        app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(status.Shutdown);
        return app;
    }
}
