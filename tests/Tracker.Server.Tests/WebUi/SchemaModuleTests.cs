using System.Net;
using System.Net.Http.Headers;
using Tracker.Events.Storage;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.WebUi;

/// <summary>/js/schema.js, the module the server makes at start-up for the web UI, is served as the UI's files are.</summary>
public sealed class SchemaModuleTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    [Fact]
    public async Task SchemaJs_Get_IsAModuleWithTheUisHeadersAndRevalidates()
    {
        var client = factory.CreateClient();

        using var response = await client.GetAsync("/js/schema.js").Bounded();
        var text = await response.Content.ReadAsStringAsync().Bounded();
        using var embedded = await client.GetAsync("/js/enums.js").Bounded();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        foreach (var header in new[] { "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Cache-Control" })
        {
            Assert.Equal(embedded.Headers.GetValues(header), response.Headers.GetValues(header));
        }

        Assert.Equal(TrackerWebUi.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("export const FIELDS = [", text, StringComparison.Ordinal);
        Assert.Contains("export const ENUMS = {", text, StringComparison.Ordinal);
        Assert.Contains("export const LISTS = [", text, StringComparison.Ordinal);
        Assert.All(EventFields.All, field => Assert.Contains($"\"name\":\"{field.Name}\"", text, StringComparison.Ordinal));

        // Revalidated as the other files are: its ETag answers 304 with no body.
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/js/schema.js");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag));
        using var again = await client.SendAsync(request).Bounded();
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }
}
