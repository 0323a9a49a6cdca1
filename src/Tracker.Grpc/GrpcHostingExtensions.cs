using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tracker.Grpc.Transport;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Tracker.Grpc;

/// <summary>Registers the gRPC runtime and binds proto services to implementations.</summary>
public static class GrpcHostingExtensions
{
    public static IServiceCollection AddGrpcRuntime(this IServiceCollection services)
    {
        services.TryAddSingleton<GrpcServiceRegistry>();
        services.AddOptions<GrpcRuntimeOptions>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// Makes a cleartext endpoint serve HTTP/1.1 and HTTP/2 (prior knowledge) side by side;
    /// set its Protocols to Http1AndHttp2.
    /// </summary>
    public static ListenOptions UseCleartextHttp2Detection(this ListenOptions listen)
    {
        // h2c streams then carry ":scheme http" on what Kestrel believes is a TLS connection.
        listen.KestrelServerOptions.AllowAlternateSchemes = true;
        listen.Use(next => connection => CleartextProtocolSniffer.SniffAsync(connection, () => next(connection)));
        return listen;
    }

    /// <summary>Serves gRPC calls on every HTTP/2 endpoint; put it before routing.</summary>
    public static IApplicationBuilder UseGrpcRuntime(this IApplicationBuilder app) =>
        app.UseMiddleware<GrpcDispatchMiddleware>();

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
