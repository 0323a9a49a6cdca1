using System.Net;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Tracker.Events;

namespace Tracker.Server.Limits;

/// <summary>How the limiter tells calls apart: by caller, and whether a call is a write or a watch stream.</summary>
internal static class CallerPartitions
{
    /// <summary>
    /// The caller a call is counted against: the authenticated caller, by scheme and name (an API
    /// key "ci" and a token whose subject is "ci" are two callers), else the client's address. A
    /// call whose credentials fail is counted by address, so a flood of bad keys is limited too.
    /// </summary>
    public static string KeyOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name, AuthenticationType: var scheme }
            ? $"{scheme}:{name}"
            : "address:" + (context.Connection.RemoteIpAddress ?? IPAddress.None);

    /// <summary>
    /// The EventService method a request was routed to (gRPC, gRPC-Web or transcoded REST), from
    /// its endpoint's metadata, so that no spelling of the path escapes the limits; null for
    /// anything else.
    /// </summary>
    public static IMethod? EventServiceMethodOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc && grpc.ServiceType == typeof(EventRpcService)
            ? grpc.Method
            : null;

    /// <summary>Whether the request is limited: an EventService call, or a path under /api/ that names no method.</summary>
    public static bool IsApiCall(HttpContext context) =>
        EventServiceMethodOf(context) is not null
        || (context.GetEndpoint() is null && context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the call changes events (CreateEvent, UpdateEvent, DeleteEvent), which have slots of their own.</summary>
    public static bool IsWrite(HttpContext context) => EventServiceMethodOf(context)?.Name is { } name && WriteMethods.Contains(name);

    private static readonly HashSet<string> WriteMethods =
    [
        nameof(Tracker.Api.V1Alpha1.EventService.EventServiceBase.CreateEvent),
        nameof(Tracker.Api.V1Alpha1.EventService.EventServiceBase.UpdateEvent),
        nameof(Tracker.Api.V1Alpha1.EventService.EventServiceBase.DeleteEvent),
    ];

    /// <summary>
    /// Whether the call is a watch stream (WatchEvents over gRPC, gRPC-Web or REST), which lives
    /// as long as its client and so is kept out of the concurrency limit.
    /// </summary>
    public static bool IsWatch(HttpContext context) => EventServiceMethodOf(context)?.Type == MethodType.ServerStreaming;
}
