using System.Text.Json;

namespace Tracker.Interop.Tests;

/// <summary>
/// The real server's /openapi.json (Microsoft.AspNetCore.Grpc.Swagger), checked by a third-party
/// validator against the official OpenAPI JSON Schema of its version, and for what a client
/// generator needs from it.
/// </summary>
[Collection(TrackerServerCollection.Name)]
public sealed class OpenApiInteropTests(TrackerServerFixture server)
{
    [Fact]
    public async Task OpenApiDocument_OfTrackerServer_ValidatesAndDescribesEveryRoute()
    {
        using var http = new HttpClient { BaseAddress = server.HttpUrl, Timeout = TimeSpan.FromSeconds(30) };
        var json = await http.GetStringAsync("/openapi.json");
        var file = Path.Combine(Path.GetTempPath(), $"tracker-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json);
        try
        {
            var run = await ClientProcess.RunAsync("node", [Path.Combine(RepoPaths.Interop, "validate-openapi.mjs"), file], RepoPaths.Interop);
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        finally
        {
            File.Delete(file);
        }

        var document = JsonDocument.Parse(json).RootElement;
        Assert.StartsWith("3.0.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths");
        Assert.Equal(
            [
                "/api/v1alpha1/channels", "/api/v1alpha1/channels/{channel.name}", "/api/v1alpha1/channels/{name}", "/api/v1alpha1/channels/{name}/deliveries",
                "/api/v1alpha1/channels/{name}:redeliver", "/api/v1alpha1/channels/{name}:test",
                "/api/v1alpha1/event", "/api/v1alpha1/event/{id}", "/api/v1alpha1/events/list", "/api/v1alpha1/events/search", "/api/v1alpha1/events/today", "/api/v1alpha1/events:watch",
            ],
            paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var create = paths.GetProperty("/api/v1alpha1/event").GetProperty("post");
        Assert.Equal("Records an event and returns it with its id, timestamps and etag.", create.GetProperty("summary").GetString());
        var search = paths.GetProperty("/api/v1alpha1/events/search").GetProperty("get");
        Assert.Contains(search.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "service");
        Assert.Contains("TYPE_DEPLOYMENT", json, StringComparison.Ordinal);
    }
}
