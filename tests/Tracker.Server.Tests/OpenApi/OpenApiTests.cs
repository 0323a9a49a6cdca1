using System.Net;
using System.Text.Json;
using Tracker.Events.Storage;
using Tracker.Server.Schema;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.OpenApi;

/// <summary>The OpenAPI document at /openapi.json (Grpc.Swagger from the transcoded routes) and Swagger UI at /docs.</summary>
public sealed class OpenApiTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    [Fact]
    public async Task OpenApiJson_Document_HasTheEventAndChannelRestPaths()
    {
        var document = (await factory.CreateClient().GetRestAsync("/openapi.json")).Expect(HttpStatusCode.OK);

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal(
            [
                "/api/v1alpha1/channels", "/api/v1alpha1/channels/{channel.name}", "/api/v1alpha1/channels/{name}", "/api/v1alpha1/channels/{name}/deliveries",
                "/api/v1alpha1/channels/{name}:redeliver", "/api/v1alpha1/channels/{name}:test",
                "/api/v1alpha1/event", "/api/v1alpha1/event/{id}", "/api/v1alpha1/events/list", "/api/v1alpha1/events/search", "/api/v1alpha1/events/today", "/api/v1alpha1/events:watch",
            ],
            document.GetProperty("paths").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var paths = document.GetProperty("paths");
        Assert.Equal(["post", "put"], paths.GetProperty("/api/v1alpha1/event").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["delete", "get"], paths.GetProperty("/api/v1alpha1/event/{id}").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["get", "post"], paths.GetProperty("/api/v1alpha1/channels").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["delete", "get"], paths.GetProperty("/api/v1alpha1/channels/{name}").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["patch"], paths.GetProperty("/api/v1alpha1/channels/{channel.name}").EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("/api/v1alpha1/event", "post", "Records an event and returns it with its id, timestamps and etag.")]
    [InlineData("/api/v1alpha1/event", "put", "Merges fields into an event and returns the event after the update.")]
    [InlineData("/api/v1alpha1/event/{id}", "get", "Returns one event by id; NOT_FOUND when there is none.")]
    [InlineData("/api/v1alpha1/event/{id}", "delete", "Deletes an event.")]
    [InlineData("/api/v1alpha1/events/list", "get", "Lists every event, newest first unless order_by says otherwise.")]
    [InlineData("/api/v1alpha1/events/search", "get", "Finds the events that match every filter given; no filter matches everything.")]
    [InlineData("/api/v1alpha1/events/today", "get", "Lists the events of the current day in a time zone.")]
    [InlineData("/api/v1alpha1/channels", "get", "Lists every channel by name, with health and without secrets.")]
    [InlineData("/api/v1alpha1/channels/{name}", "delete", "Deletes a channel and its delivery log; its pending messages are not sent.")]
    [InlineData("/api/v1alpha1/channels/{name}/deliveries", "get", "Lists a channel's messages, newest change first, with every attempt.")]
    public async Task OpenApiJson_Operation_SummaryIsTheProtoComment(string path, string method, string summary)
    {
        var document = (await factory.CreateClient().GetRestAsync("/openapi.json")).Expect(HttpStatusCode.OK);

        Assert.Equal(summary, document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("summary").GetString());
    }

    [Fact]
    public async Task OpenApiJson_SearchParameters_CarryFieldComments()
    {
        var document = (await factory.CreateClient().GetRestAsync("/openapi.json")).Expect(HttpStatusCode.OK);

        var parameters = document.GetProperty("paths").GetProperty("/api/v1alpha1/events/search").GetProperty("get").GetProperty("parameters");
        var service = parameters.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "service");
        Assert.Equal("query", service.GetProperty("in").GetString());
        Assert.Equal("Only events of this service.", service.GetProperty("description").GetString());
    }

    [Fact]
    public async Task OpenApiJson_FilterParameters_ListEveryFilterableField()
    {
        var document = (await factory.CreateClient().GetRestAsync("/openapi.json")).Expect(HttpStatusCode.OK);

        var filters = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Operation: $"{operation.Name} {path.Name}", operation.Value)))
            .SelectMany(o => (o.Value.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray().ToArray() : []).Where(p => p.GetProperty("name").GetString() == "filter").Select(p => (o.Operation, Description: p.GetProperty("description").GetString()!)))
            .ToArray();

        Assert.Equal(
            ["get /api/v1alpha1/events/list", "get /api/v1alpha1/events/search", "get /api/v1alpha1/events/today", "get /api/v1alpha1/events:watch"],
            filters.Select(f => f.Operation).Order(StringComparer.Ordinal));
        foreach (var (_, description) in filters)
        {
            // The proto comment first, then the table rendered from the field list.
            Assert.StartsWith("An AIP-160 filter expression", description, StringComparison.Ordinal);
            Assert.EndsWith(FilterFieldsDocumentFilter.FieldList, description, StringComparison.Ordinal);
            Assert.All(EventFields.All, field => Assert.Contains($"\n| `{field.Name}` | ", description, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Docs_SwaggerUi_Answers200Html()
    {
        var response = await factory.CreateClient().GetRestAsync("/docs/index.html");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("text/html", response.MediaType);
        Assert.Contains("swagger-ui", response.Body, StringComparison.Ordinal);
    }
}
