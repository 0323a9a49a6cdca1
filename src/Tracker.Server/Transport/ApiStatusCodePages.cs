using Google.Rpc;
using Microsoft.AspNetCore.Diagnostics;

namespace Tracker.Server.Transport;

/// <summary>
/// Gives the REST surface's routing answers a google.rpc.Status body, like every other REST error:
/// a path under /api/ that names no method (404 NOT_FOUND), a method the path does not have (405,
/// UNIMPLEMENTED), a request Kestrel refuses (400, INVALID_ARGUMENT). Runs as ASP.NET Core's status
/// code pages handler, so only for error answers that have no body yet.
/// </summary>
internal static class ApiStatusCodePages
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (!http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return Task.CompletedTask;
        }

        var path = RestStatusBody.Echo(http.Request.Path.Value, 128);
        var status = http.Response.StatusCode;
        var (code, message) = status switch
        {
            StatusCodes.Status404NotFound => (Code.NotFound, $"No API method at {http.Request.Method} {path}; see /openapi.json."),
            StatusCodes.Status405MethodNotAllowed => (Code.Unimplemented, $"{http.Request.Method} is not allowed on {path}; see /openapi.json."),
            >= 500 => (Code.Internal, "The request could not be processed."),
            _ => (Code.InvalidArgument, "The request is not a valid HTTP request for this API."),
        };
        return RestStatusBody.WriteAsync(http.Response, status, code, message);
    }
}
