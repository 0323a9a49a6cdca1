using System.Globalization;
using System.Net;
using System.Text.Json;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Api;

/// <summary>
/// Every EventService RPC over REST, on the paths of the protos' google.api.http rules (the seed
/// guide's): POST/PUT /api/v1alpha1/event, GET/DELETE /api/v1alpha1/event/{id} and
/// GET /api/v1alpha1/events/list|search|today.
/// </summary>
public sealed class EventServiceRestTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _http = factory.CreateClient();

    [Fact]
    public async Task PostEvent_ValidBody_ReturnsTheEventAsJson()
    {
        var service = TestEvents.UniqueService();

        var response = await _http.PostRestAsync("/api/v1alpha1/event", TestEvents.DeploymentJson(service));

        var json = response.Expect(HttpStatusCode.OK);
        Assert.Equal("application/json", response.MediaType);
        Assert.True(Guid.TryParse(json.GetProperty("id").GetString(), out _));
        Assert.Equal("Deploy api v3.2.0", json.GetProperty("title").GetString());
        Assert.Equal(service, json.GetProperty("attributes").GetProperty("service").GetString());
        Assert.Equal(42, json.GetProperty("attributes").GetProperty("code").GetInt32());
        Assert.Equal("3600s", json.GetProperty("duration").GetString());
        Assert.NotEmpty(json.GetProperty("etag").GetString()!);
    }

    [Fact]
    public async Task GetEvent_IdInPath_ReturnsTheStoredEvent()
    {
        var created = await CreateAsync();

        var response = await _http.GetRestAsync($"/api/v1alpha1/event/{Id(created)}");

        Assert.Equal(created.GetRawText(), response.Expect(HttpStatusCode.OK).GetRawText());
    }

    [Fact]
    public async Task PutEvent_IdAndTitleInBody_ReturnsTheUpdatedEvent()
    {
        var created = await CreateAsync();

        var response = await _http.PutRestAsync("/api/v1alpha1/event", $$"""{"id":"{{Id(created)}}","title":"Rolled back"}""");

        var json = response.Expect(HttpStatusCode.OK);
        Assert.Equal("Rolled back", json.GetProperty("title").GetString());
        Assert.NotEqual(created.GetProperty("etag").GetString(), json.GetProperty("etag").GetString());
        var read = (await _http.GetRestAsync($"/api/v1alpha1/event/{Id(created)}")).Expect(HttpStatusCode.OK);
        Assert.Equal(json.GetRawText(), read.GetRawText());
    }

    [Fact]
    public async Task DeleteEvent_IdInPath_AnswersEmptyObjectThen404()
    {
        var created = await CreateAsync();

        var deleted = await _http.DeleteRestAsync($"/api/v1alpha1/event/{Id(created)}");
        var read = await _http.GetRestAsync($"/api/v1alpha1/event/{Id(created)}");

        Assert.Equal("{}", deleted.Expect(HttpStatusCode.OK).GetRawText());
        Assert.Equal(5, read.Expect(HttpStatusCode.NotFound).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task DeleteEvent_EtagAndAllowMissingInQuery_AreBound()
    {
        var created = await CreateAsync();

        var stale = await _http.DeleteRestAsync($"/api/v1alpha1/event/{Id(created)}?etag=stale");
        var missing = await _http.DeleteRestAsync($"/api/v1alpha1/event/{Guid.NewGuid()}?allowMissing=true");

        Assert.Equal(10, stale.Expect(HttpStatusCode.Conflict).GetProperty("code").GetInt32());
        missing.Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ListEvents_PerPage_ReturnsNewestFirstWithTotalCount()
    {
        var older = Id(await CreateAsync());
        var newer = Id(await CreateAsync());

        var json = (await _http.GetRestAsync("/api/v1alpha1/events/list?perPage=1000")).Expect(HttpStatusCode.OK);

        var ids = json.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.True(ids.IndexOf(newer) >= 0 && ids.IndexOf(newer) < ids.IndexOf(older), string.Join(",", ids));
        Assert.Equal(ids.Count, json.GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task ListEvents_PageSizeAndPageToken_WalkThePages()
    {
        await CreateAsync();
        await CreateAsync();

        var first = (await _http.GetRestAsync("/api/v1alpha1/events/list?pageSize=1")).Expect(HttpStatusCode.OK);
        var token = first.GetProperty("nextPageToken").GetString()!;
        var second = (await _http.GetRestAsync($"/api/v1alpha1/events/list?page_size=1&page_token={Uri.EscapeDataString(token)}")).Expect(HttpStatusCode.OK);

        Assert.NotEmpty(token);
        Assert.NotEqual(Id(first.GetProperty("events")[0]), Id(second.GetProperty("events")[0]));
    }

    [Fact]
    public async Task SearchEvents_QueryFilters_ReturnOnlyMatches()
    {
        var service = TestEvents.UniqueService();
        var match = Id(await CreateAsync(service));
        await CreateAsync();

        var json = (await _http.GetRestAsync($"/api/v1alpha1/events/search?service={service}&environment=ENVIRONMENT_PRODUCTION&startDate=2024-01-15&endDate=2024-01-15")).Expect(HttpStatusCode.OK);

        Assert.Equal([match], json.GetProperty("events").EnumerateArray().Select(Id));
        Assert.Equal(1, json.GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task TodayEvents_TimeZoneInQuery_ListsTheDaysEvents()
    {
        var service = TestEvents.UniqueService();
        var body = TestEvents.DeploymentJson(service, startDate: DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), endDate: null);
        var created = Id((await _http.PostRestAsync("/api/v1alpha1/event", body)).Expect(HttpStatusCode.OK));

        var json = (await _http.GetRestAsync("/api/v1alpha1/events/today?timeZone=UTC&perPage=1000")).Expect(HttpStatusCode.OK);

        Assert.Contains(created, json.GetProperty("events").EnumerateArray().Select(Id));
    }

    private async Task<JsonElement> CreateAsync(string? service = null) =>
        (await _http.PostRestAsync("/api/v1alpha1/event", TestEvents.DeploymentJson(service ?? TestEvents.UniqueService()))).Expect(HttpStatusCode.OK);

    private static string Id(JsonElement json) => json.GetProperty("id").GetString()!;
}
