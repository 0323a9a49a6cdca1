using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Tracker.Grpc;

/// <summary>Registers the gRPC runtime and binds proto services to implementations.</summary>
public static class GrpcHostingExtensions
{
    public static IServiceCollection AddGrpcRuntime(this IServiceCollection services)
    {
        services.TryAddSingleton<GrpcServiceRegistry>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// Binds <paramref name="service"/> (from the generated file descriptor) to
    /// <typeparamref name="TService"/>, which must be registered in the container.
    /// </summary>
    public static WebApplication MapGrpcService<TService>(this WebApplication app, ServiceDescriptor service)
        where TService : class
    {
        var registry = app.Services.GetRequiredService<GrpcServiceRegistry>();
        registry.Add(service, ServiceBinder.Bind<TService>(service));
        return app;
    }
}
