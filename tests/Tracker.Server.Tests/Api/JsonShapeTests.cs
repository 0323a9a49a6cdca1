using System.Net;
using System.Text.Json;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Api;

/// <summary>
/// The JSON of the REST surface (DESIGN §4): lowerCamelCase names, default values written, int64
/// as JSON numbers, enums as names in responses; enums accepted by name or number in bodies and
/// query strings.
/// </summary>
public sealed class JsonShapeTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _http = factory.CreateClient();

    [Fact]
    public async Task SearchEvents_NoMatch_WritesDefaultValues()
    {
        var response = await _http.GetRestAsync($"/api/v1alpha1/events/search?service={TestEvents.UniqueService()}");

        Assert.Equal("""{"events":[],"totalCount":0,"nextPageToken":"","totalCountRelation":"TOTAL_COUNT_RELATION_EXACT"}""", response.Expect(HttpStatusCode.OK).GetRawText());
    }

    [Fact]
    public async Task ListEvents_TotalCount_IsAJsonNumber()
    {
        await CreateAsync(TestEvents.UniqueService());

        var json = (await _http.GetRestAsync("/api/v1alpha1/events/list")).Expect(HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Number, json.GetProperty("totalCount").ValueKind);
        Assert.True(json.GetProperty("totalCount").GetInt64() >= 1);
    }

    [Fact]
    public async Task Event_Response_UsesLowerCamelCaseAndEnumNames()
    {
        var json = await CreateAsync(TestEvents.UniqueService());

        Assert.Equal(
            ["title", "attributes", "links", "id", "createdAt", "updatedAt", "duration", "etag", "count", "firstSeenAt", "lastSeenAt", "aggregationKey", "createdBy", "updatedBy"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Number, json.GetProperty("count").ValueKind);
        var attributes = json.GetProperty("attributes");
        Assert.Equal("TYPE_DEPLOYMENT", attributes.GetProperty("type").GetString());
        Assert.Equal("PRIORITY_P2", attributes.GetProperty("priority").GetString());
        Assert.Equal("ENVIRONMENT_PRODUCTION", attributes.GetProperty("environment").GetString());
        Assert.Equal("STATUS_START", attributes.GetProperty("status").GetString());
        Assert.Equal(["payments"], attributes.GetProperty("stakeHolders").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("2024-01-15T10:00:00Z", attributes.GetProperty("startDate").GetString());
        Assert.Equal(JsonValueKind.Number, attributes.GetProperty("code").ValueKind);
        Assert.Equal("PROJ-456", json.GetProperty("links").GetProperty("ticket").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", json.GetProperty("createdAt").GetString());
    }

    [Fact]
    public async Task Event_EmptyListsAndMaps_AreWrittenAndUnsetOptionalsAreLeftOut()
    {
        var json = (await _http.PostRestAsync("/api/v1alpha1/event", """{"title":"t","attributes":{"type":"TYPE_DRIFT","service":"api"}}""")).Expect(HttpStatusCode.OK);

        var attributes = json.GetProperty("attributes");
        Assert.Equal(
            """{"type":"TYPE_DRIFT","service":"api","stakeHolders":[],"notifications":[],"resources":[],"labels":{},"arguments":[]}""",
            attributes.GetRawText());
        Assert.False(json.TryGetProperty("links", out _));
        Assert.False(json.TryGetProperty("duration", out _));
    }

    [Fact]
    public async Task PostEvent_EnumsAsNumbers_AreAcceptedAndAnsweredAsNames()
    {
        var json = (await _http.PostRestAsync("/api/v1alpha1/event", """{"title":"t","attributes":{"type":4,"service":"api","severity":3}}""")).Expect(HttpStatusCode.OK);

        Assert.Equal("TYPE_INCIDENT", json.GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal("SEVERITY_ERROR", json.GetProperty("attributes").GetProperty("severity").GetString());
    }

    [Theory]
    [InlineData("type=TYPE_DEPLOYMENT")]
    [InlineData("type=1")]
    public async Task SearchEvents_EnumInQueryByFullNameOrNumber_Filters(string typeFilter)
    {
        var service = TestEvents.UniqueService();
        var deployment = await CreateAsync(service);
        (await _http.PostRestAsync("/api/v1alpha1/event", $$$"""{"title":"t","attributes":{"type":"TYPE_INCIDENT","service":"{{{service}}}"}}""")).Expect(HttpStatusCode.OK);

        var json = (await _http.GetRestAsync($"/api/v1alpha1/events/search?service={service}&{typeFilter}")).Expect(HttpStatusCode.OK);

        Assert.Equal([deployment.GetProperty("id").GetString()], json.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Query_SnakeCaseAndCamelCaseNames_BothBind()
    {
        var camel = (await _http.GetRestAsync("/api/v1alpha1/events/list?perPage=1")).Expect(HttpStatusCode.OK);
        var snake = (await _http.GetRestAsync("/api/v1alpha1/events/list?per_page=1")).Expect(HttpStatusCode.OK);

        Assert.True(camel.GetProperty("events").GetArrayLength() <= 1);
        Assert.True(snake.GetProperty("events").GetArrayLength() <= 1);
    }

    private async Task<JsonElement> CreateAsync(string service) =>
        (await _http.PostRestAsync("/api/v1alpha1/event", TestEvents.DeploymentJson(service))).Expect(HttpStatusCode.OK);
}
