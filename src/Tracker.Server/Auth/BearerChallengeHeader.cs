namespace Tracker.Server.Auth;

/// <summary>
/// Adds <c>WWW-Authenticate: Bearer</c> to every 401 response, as RFC 6750 section 3 requires,
/// whichever part of the pipeline wrote it (the EventService's UNAUTHENTICATED transcoded to
/// REST, or a challenge for reflection); with <c>error="invalid_token"</c> when the request
/// carried a bearer credential.
/// </summary>
internal sealed class BearerChallengeHeader(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            if (http.Response.StatusCode == StatusCodes.Status401Unauthorized && http.Response.Headers.WWWAuthenticate.Count == 0)
            {
                // RFC 6750 section 3.1: invalid_token only when a bearer token was sent (not for Basic).
                http.Response.Headers.WWWAuthenticate = BearerCredential.Of(http.Request) is { Length: > 0 }
                    ? "Bearer realm=\"tracker\", error=\"invalid_token\""
                    : "Bearer realm=\"tracker\"";
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
