using Grpc.Core;
using Tracker.Events.Pipeline;
using Tracker.Server.Transport;

namespace Tracker.Server.Mcp;

/// <summary>
/// What every request to <c>/mcp</c> goes through before the MCP transport reads it:
/// <list type="number">
/// <item>Its credentials, as every API call's (<see cref="EventCallPipeline.IdentifyAsync"/>):
/// without valid ones, 401 (or 503 when the token issuer cannot be reached) with the REST API's
/// error body, <c>{"code": 16, "message": "This call needs credentials: ...", "details": [ErrorInfo
/// CREDENTIALS_MISSING]}</c>, and <c>WWW-Authenticate: Bearer</c> (RFC 6750).</item>
/// <item>A POST's body, as one JSON-RPC message (<see cref="JsonRpcMessageCheck"/>): JSON-RPC's
/// own error codes, naming the member and the rule.</item>
/// </list>
/// </summary>
internal static class McpRequestGuard
{
    /// <summary>Wraps each endpoint of <paramref name="mcp"/>, after every other convention has set its handler.</summary>
    public static IEndpointConventionBuilder Guarded(this IEndpointConventionBuilder mcp)
    {
        mcp.Finally(endpoint =>
        {
            if (endpoint.RequestDelegate is { } inner)
            {
                endpoint.RequestDelegate = http => GuardAsync(http, inner);
            }
        });
        return mcp;
    }

    private static async Task GuardAsync(HttpContext http, RequestDelegate inner)
    {
        var pipeline = http.RequestServices.GetRequiredService<EventCallPipeline>();
        try
        {
            await pipeline.IdentifyAsync(new McpCallContext(TrackerMcp.Path, http, http.RequestAborted)).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.GetRpcStatus() is { } status)
        {
            var httpStatus = e.StatusCode == StatusCode.Unauthenticated ? StatusCodes.Status401Unauthorized : StatusCodes.Status503ServiceUnavailable;
            await RestStatusBody.WriteAsync(http.Response, httpStatus, status).ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsPost(http.Request.Method)
            && await JsonRpcMessageCheck.RefusalAsync(http.Request, http.RequestAborted).ConfigureAwait(false) is { } refusal)
        {
            await refusal.WriteAsync(http.Response).ConfigureAwait(false);
            return;
        }

        await inner(http).ConfigureAwait(false);
    }
}
