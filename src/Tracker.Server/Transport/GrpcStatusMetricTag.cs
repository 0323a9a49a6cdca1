using System.Globalization;
using Microsoft.AspNetCore.Http.Features;

namespace Tracker.Server.Transport;

/// <summary>
/// Tags a gRPC or gRPC-Web call's <c>http.server.request.duration</c> with
/// <c>rpc.response.status_code</c>, the gRPC status name ("OK", "RESOURCE_EXHAUSTED"; OpenTelemetry
/// RPC semantic conventions, the attribute the request's span carries too). ASP.NET Core records
/// every gRPC call as HTTP 200 and Grpc.AspNetCore has no meter, so without it the duration of
/// calls served, failed and refused by the limiter would be one histogram.
/// </summary>
internal sealed class GrpcStatusMetricTag(RequestDelegate next)
{
    public const string AttributeName = "rpc.response.status_code";

    // The gRPC status codes 0-16 by number (grpc/doc/statuscodes.md).
    private static readonly string[] StatusNames =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    public async Task InvokeAsync(HttpContext context)
    {
        var tags = GrpcStatusResponse.IsGrpc(context.Request) ? context.Features.Get<IHttpMetricsTagsFeature>() : null;
        await next(context).ConfigureAwait(false);
        if (tags is not null && StatusName(context) is { } name)
        {
            tags.Tags.Add(new(AttributeName, name));
        }
    }

    /// <summary>The call's grpc-status, from the trailers or, in a trailers-only answer, the headers.</summary>
    private static string? StatusName(HttpContext context)
    {
        var value = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"] is { Count: > 0 } trailer
            ? trailer.ToString()
            : context.Response.Headers["grpc-status"].ToString();
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code < StatusNames.Length ? StatusNames[code] : null;
    }
}
