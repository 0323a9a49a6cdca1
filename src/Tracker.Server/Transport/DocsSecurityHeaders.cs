using Microsoft.Net.Http.Headers;

namespace Tracker.Server.Transport;

/// <summary>
/// The headers of the Swagger UI pages under <c>/docs</c>: a Content-Security-Policy (CSP level 3,
/// W3C) that lets Swagger UI load its own scripts, styles and images, fetch the OpenAPI document
/// and send "Try it out" calls to this origin, and nothing else: no inline script, no eval, no other
/// origin, no framing. Swagger UI sets element styles from script (allowed without
/// 'unsafe-inline') and draws its icons as data: SVG images; the one inline style element it
/// writes, that of its logo's SVG, is allowed by its SHA-256 hash, which a new Swagger UI may
/// change (the browser test of /docs then reports the violation).
/// </summary>
internal sealed class DocsSecurityHeaders(RequestDelegate next)
{
    /// <summary>The path prefix Swagger UI is served under.</summary>
    public const string Prefix = "/docs";

    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='; img-src 'self' data:; connect-src 'self'; "
        + "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            var headers = context.Response.Headers;
            headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
            headers[HeaderNames.XContentTypeOptions] = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
        }

        return next(context);
    }
}
