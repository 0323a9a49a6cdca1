using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;
using Tracker.Events.Storage;
using Tracker.Server.Schema;

namespace Tracker.Server;

/// <summary>
/// The web UI at <c>/</c> of the HTTP endpoint: static HTML, one CSS file and plain
/// ES modules from <c>wwwroot/</c>, which call the REST API like any other client. The files are
/// embedded in Tracker.Server.dll at build time, so the page is served whatever the working
/// directory, from a build, a publish or the container image, with no Node.js step.
/// <para>
/// Every UI response carries a Content-Security-Policy that allows scripts, styles and fetches
/// from this origin only: no inline script, no inline handler, no eval, no framing. The files are
/// not rate limited and need no credentials (the limiter and EventService checks cover /api and
/// the gRPC paths only); the page asks for an API key when the API answers 401.
/// </para>
/// <para>
/// Beside the files, <c>/js/schema.js</c> is made at start-up (<see cref="WebUiSchema"/>): the
/// filterable fields and their enums, and the enums of channels and deliveries, from
/// <see cref="EventFields.All"/> and the proto's descriptors, served like the files (same headers,
/// ETag), so that no JS module lists them.
/// </para>
/// </summary>
internal static class TrackerWebUi
{
    /// <summary>script-src 'self' (CSP level 3, W3C); data: images for the inline SVG favicon.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IServiceCollection AddTrackerWebUi(this IServiceCollection services)
    {
        var generated = new GeneratedFileProvider([(WebUiSchema.Path, WebUiSchema.Module(EventFields.All))], DateTimeOffset.UtcNow);
        var embedded = new EmbeddedFileProvider(typeof(TrackerWebUi).Assembly, "Tracker.Server.wwwroot");
        services.AddSingleton(new WebUiAssets(new CompositeFileProvider(generated, embedded)));
        return services;
    }

    /// <summary><c>/</c> answers index.html; <c>/js/*.js</c>, <c>/app.css</c> and the icon are the files themselves, and <c>/js/schema.js</c> the generated module.</summary>
    public static WebApplication MapTrackerWebUi(this WebApplication app)
    {
        var files = app.Services.GetRequiredService<WebUiAssets>().Files;
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, DefaultFileNames = ["index.html"] });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context => AddHeaders(context.Context.Response.Headers),
        });
        return app;
    }

    private static void AddHeaders(IHeaderDictionary headers)
    {
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Revalidated on every load (ETag, Last-Modified), so a new build's files are used at once.
        headers[HeaderNames.CacheControl] = "no-cache";
    }

    /// <summary>The UI's files, embedded from wwwroot/ (see Tracker.Server.csproj), and the generated ones.</summary>
    internal sealed record WebUiAssets(IFileProvider Files);
}
