using Microsoft.AspNetCore.Http;

namespace Tracker.Grpc;

/// <summary>
/// What a handler knows about its call, whether it came as gRPC or as transcoded REST.
/// </summary>
public sealed class ServerCallContext
{
    public ServerCallContext(HttpContext httpContext, string method, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        Method = method;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    /// <summary>The HTTP request the call arrived on.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The method's path, e.g. "/pkg.Service/Method".</summary>
    public string Method { get; }

    /// <summary>When the client stops waiting, from grpc-timeout; null when it gave none.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>Cancelled when the client cancels, disconnects or the deadline passes.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The request metadata (HTTP headers).</summary>
    public IHeaderDictionary RequestHeaders => HttpContext.Request.Headers;

    /// <summary>Response headers; changes after the first message is written are not sent.</summary>
    public IHeaderDictionary ResponseHeaders => HttpContext.Response.Headers;

    /// <summary>Trailers sent with the status when the call ends.</summary>
    public IHeaderDictionary ResponseTrailers { get; } = new HeaderDictionary();

    /// <summary>The client's address.</summary>
    public string Peer => HttpContext.Connection.RemoteIpAddress is { } ip
        ? $"{ip}:{HttpContext.Connection.RemotePort}"
        : "unknown";
}
