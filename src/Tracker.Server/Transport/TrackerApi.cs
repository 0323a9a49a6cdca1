using System.IO.Compression;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Tracker.Events;
using Tracker.Events.Pipeline;
using Tracker.Notifications;
using Tracker.Notifications.ChannelApi;
using Tracker.Server.Auth;

namespace Tracker.Server.Transport;

/// <summary>
/// EventService and ChannelService as gRPC (Grpc.AspNetCore), gRPC-Web and REST (JSON
/// transcoding of the protos' google.api.http rules), with server reflection. All three reach
/// the same handler.
/// </summary>
internal static class TrackerApi
{
    /// <summary>The largest request or response message, in bytes: gRPC's customary 4 MiB.</summary>
    public const int MaxMessageBytes = 4 * 1024 * 1024;

    public static IServiceCollection AddTrackerApi(this IServiceCollection services)
    {
        services.AddGrpc(options =>
            {
                options.MaxReceiveMessageSize = MaxMessageBytes;
                options.MaxSendMessageSize = MaxMessageBytes;
                // Compresses responses only for clients that list gzip in grpc-accept-encoding.
                options.ResponseCompressionAlgorithm = "gzip";
                options.ResponseCompressionLevel = CompressionLevel.Fastest;
                // gzip only, with corrupt or truncated request messages answered INTERNAL.
                options.CompressionProviders = [new CheckedGzipCompression(CompressionLevel.Fastest)];
                // Caller, scope, store outages, cancellation and the write log for every method of
                // every service, as RpcRegistry lists them. JSON transcoding and gRPC-Web run the
                // same method invokers, so REST and browser calls pass through it too.
                options.Interceptors.Add<EventCallPipeline>();
            })
            .AddJsonTranscoding(options =>
            {
                // The google.rpc details of errors (BadRequest, ErrorInfo, ...) in REST bodies;
                // without their types the transcoder cannot write the Status and answers 500.
                options.TypeRegistry = TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor);
                options.JsonSettings = new GrpcJsonSettings
                {
                    IgnoreDefaultValues = false,
                    WriteEnumsAsIntegers = false,
                    WriteInt64sAsStrings = false,
                };
            });
        services.AddGrpcReflection();
        return services;
    }

    /// <summary>
    /// A client that leaves in the middle of its request body as a cancelled call
    /// (<see cref="AbandonedBodyGuard"/>), google.rpc.Status bodies for REST routing errors (<see cref="ApiStatusCodePages"/>), the
    /// checks of REST requests before transcoding (<see cref="RestRequestGuard"/>: UTF-8, 4 MiB),
    /// the bodies of REST PATCH requests to the channels kept readable (UpdateChannel tells the
    /// fields present in them),
    /// grpc-accept-encoding on gRPC responses (<see cref="GrpcAcceptEncodingHeader"/>), routing,
    /// the refusal of REST query parameters and body fields the route does not take (<see cref="RestInputGuard"/>),
    /// then gRPC-Web for every gRPC service, so browsers can call them, and the check of gRPC
    /// framing (<see cref="Transport.GrpcFramingGuard"/>).
    /// </summary>
    public static WebApplication UseTrackerApi(this WebApplication app)
    {
        app.UseMiddleware<AbandonedBodyGuard>();
        app.UseStatusCodePages(ApiStatusCodePages.WriteAsync);
        app.UseMiddleware<RestRequestGuard>();
        app.UseChannelApi();
        app.UseMiddleware<GrpcAcceptEncodingHeader>();
        app.UseRouting();
        app.UseMiddleware<RestInputGuard>();
        app.UseGrpcWebWithFramingGuard(new GrpcWebOptions { DefaultEnabled = true });
        return app;
    }

    public static WebApplication MapTrackerApi(this WebApplication app)
    {
        app.MapGrpcService<EventRpcService>();
        app.MapGrpcService<ChannelRpcService>();
        app.MapGrpcReflectionService().ProtectedAsConfigured(app);
        return app;
    }
}
