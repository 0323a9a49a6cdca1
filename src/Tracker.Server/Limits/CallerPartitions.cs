using System.Net;
using Grpc.AspNetCore.Server;
using Tracker.Events.Access;

namespace Tracker.Server.Limits;

/// <summary>How the limiter tells calls apart: by caller, and by the method's class in <see cref="RpcRegistry"/> (read, write, watch, unlimited).</summary>
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
    /// The limiter class (<see cref="RpcRegistry"/>) of the gRPC method a request was routed to
    /// (gRPC, gRPC-Web or transcoded REST), from its endpoint's metadata, so that no spelling of
    /// the path escapes the limits. A mapped method without a registration, which the call
    /// pipeline refuses, counts as a read; another endpoint has the class its
    /// <see cref="LimitClassMetadata"/> gives (the MCP endpoint: a read), or null.
    /// </summary>
    public static RpcLimitClass? LimitOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata is not { } metadata ? null
        : metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc ? RpcRegistry.Find(grpc.Method.FullName)?.Limit ?? RpcLimitClass.Read
        : metadata.GetMetadata<LimitClassMetadata>()?.Limit;

    /// <summary>Whether the request is limited: a method not marked unlimited, or a path under /api/ that names no method.</summary>
    public static bool IsApiCall(HttpContext context) =>
        LimitOf(context) is { } limit && limit != RpcLimitClass.Unlimited
        || (context.GetEndpoint() is null && context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the call changes events (CreateEvent, UpdateEvent, DeleteEvent), which have slots of their own.</summary>
    public static bool IsWrite(HttpContext context) => LimitOf(context) == RpcLimitClass.Write;

    /// <summary>
    /// Whether the call is a watch stream (WatchEvents over gRPC, gRPC-Web or REST), which lives
    /// as long as its client and so is kept out of the concurrency limit.
    /// </summary>
    public static bool IsWatch(HttpContext context) => LimitOf(context) == RpcLimitClass.Watch;
}

/// <summary>The limiter class of an endpoint that is not a gRPC method (the MCP endpoint), set with <see cref="LimitClassEndpoints.LimitedAs"/>.</summary>
internal sealed record LimitClassMetadata(RpcLimitClass Limit);

/// <summary>Puts an endpoint under the limits as a call of one class.</summary>
internal static class LimitClassEndpoints
{
    public static IEndpointConventionBuilder LimitedAs(this IEndpointConventionBuilder endpoint, RpcLimitClass limit) =>
        endpoint.WithMetadata(new LimitClassMetadata(limit));
}
