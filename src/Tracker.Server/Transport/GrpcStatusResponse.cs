using Google.Protobuf;
using HttpResponse = Microsoft.AspNetCore.Http.HttpResponse;

namespace Tracker.Server.Transport;

/// <summary>
/// Answers a gRPC or gRPC-Web call with a google.rpc.Status and no message, for the refusals
/// made before Grpc.AspNetCore sees the call (the rate limiter). It is a "trailers-only"
/// response (gRPC over HTTP/2, PROTOCOL-HTTP2.md; gRPC-Web, PROTOCOL-WEB.md): HTTP 200, the
/// request's gRPC content type, and grpc-status, grpc-message (percent-encoded) and
/// grpc-status-details-bin (base64) as headers.
/// </summary>
internal static class GrpcStatusResponse
{
    /// <summary>Whether the request is a gRPC or gRPC-Web call, by its content type.</summary>
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    public static Task WriteAsync(HttpResponse response, Google.Rpc.Status status) => WriteAsync(response, Encode(status));

    /// <summary>Writes a status encoded once by <see cref="Encode"/>: refusals under overload repeat one status thousands of times a second.</summary>
    public static Task WriteAsync(HttpResponse response, EncodedStatus status)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = response.HttpContext.Request.ContentType?.Split(';')[0] ?? "application/grpc";
        response.Headers["grpc-status"] = status.Code;
        response.Headers["grpc-message"] = status.Message;
        response.Headers["grpc-status-details-bin"] = status.DetailsBin;
        return Task.CompletedTask;
    }

    /// <summary>The three header values of <paramref name="status"/>.</summary>
    public static EncodedStatus Encode(Google.Rpc.Status status) => new(
        status.Code.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Uri.EscapeDataString(status.Message),
        Convert.ToBase64String(status.ToByteArray()));

    /// <summary>grpc-status, the percent-encoded grpc-message and the base64 grpc-status-details-bin of one status.</summary>
    public sealed record EncodedStatus(string Code, string Message, string DetailsBin);
}
