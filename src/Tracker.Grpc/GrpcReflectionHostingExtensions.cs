using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tracker.Grpc.Reflection;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace Tracker.Grpc;

/// <summary>Registers and binds gRPC server reflection (v1 and v1alpha).</summary>
public static class GrpcReflectionHostingExtensions
{
    public static IServiceCollection AddGrpcReflection(this IServiceCollection services)
    {
        services.AddGrpcRuntime();
        services.TryAddSingleton<ReflectionResponder>();
        services.TryAddSingleton<ServerReflectionV1Service>();
        services.TryAddSingleton<ServerReflectionV1AlphaService>();
        return services;
    }

    /// <summary>
    /// Binds grpc.reflection.v1.ServerReflection and grpc.reflection.v1alpha.ServerReflection. They
    /// describe every service bound before the first reflection call, themselves included.
    /// </summary>
    public static WebApplication MapGrpcReflection(this WebApplication app)
    {
        app.MapGrpcService<ServerReflectionV1Service>(V1.ReflectionReflection.Descriptor.Services.Single(s => s.Name == "ServerReflection"));
        app.MapGrpcService<ServerReflectionV1AlphaService>(V1Alpha.ReflectionReflection.Descriptor.Services.Single(s => s.Name == "ServerReflection"));
        return app;
    }
}
