using System.Net;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.OpenApi;

/// <summary>Every response under /docs (Swagger UI's page, scripts and styles) carries the docs' Content-Security-Policy.</summary>
public sealed class DocsSecurityHeadersTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    [Theory]
    [InlineData("/docs/index.html")]
    [InlineData("/docs/index.js")]
    [InlineData("/docs/index.css")]
    [InlineData("/docs/swagger-ui.css")]
    [InlineData("/docs/swagger-ui-bundle.js")]
    [InlineData("/docs/swagger-ui-standalone-preset.js")]
    [InlineData("/docs")]
    public async Task Docs_AnyResource_CarriesTheContentSecurityPolicy(string path)
    {
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await client.GetAsync(path).Bounded();

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.MovedPermanently, $"{path}: {(int)response.StatusCode}");
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("default-src 'none'; script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task OpenApiDocument_OutsideDocs_HasNoDocsPolicy()
    {
        using var response = await factory.CreateClient().GetAsync("/openapi.json").Bounded();

        Assert.False(response.Headers.Contains("Content-Security-Policy"));
    }
}
