using System.Net;
using System.Text.Json;
using Grpc.Net.Client.Web;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Api;

/// <summary>
/// total_count up to Tracker:Search:CountLimit (README, "Searching") through the whole host, over
/// gRPC, gRPC-Web and REST: total_count_relation EXACT or AT_LEAST, exact_total_count, numbered and
/// token paging past the limit, next_page_token empty only at the end. The host counts up to 3;
/// each test creates its events under a service of its own.
/// </summary>
public sealed class TotalCountApiTests(TotalCountApiTests.CountingHost host) : IClassFixture<TotalCountApiTests.CountingHost>
{
    private readonly EventService.EventServiceClient _client = host.CreateGrpcClient();
    private readonly HttpClient _http = host.CreateClient();

    [Fact]
    public async Task ListEvents_MoreMatchesThanTheLimitOverGrpc_ReportsTheLimitAtLeast()
    {
        var service = await CreateAsync(5);

        var response = await _client.ListEventsAsync(new ListEventsRequest { Filter = $"service=\"{service}\"" }).ResponseAsync.Bounded();

        Assert.Equal(5, response.Events.Count);
        Assert.Equal((3, TotalCountRelation.AtLeast), (response.TotalCount, response.TotalCountRelation));
        Assert.Equal(string.Empty, response.NextPageToken);
    }

    [Fact]
    public async Task SearchEvents_MatchesAtTheLimitOverGrpcWeb_ReportsThemExactly()
    {
        var service = await CreateAsync(3);

        var response = await host.CreateGrpcWebClient(GrpcWebMode.GrpcWeb).SearchEventsAsync(new SearchEventsRequest { Service = service }).ResponseAsync.Bounded();

        Assert.Equal((3, TotalCountRelation.Exact), (response.TotalCount, response.TotalCountRelation));
    }

    [Fact]
    public async Task SearchEvents_MoreMatchesThanTheLimitOverRest_RelationIsAtLeastByName()
    {
        var service = await CreateAsync(4);

        var json = (await _http.GetRestAsync($"/api/v1alpha1/events/search?service={service}")).Expect(HttpStatusCode.OK);

        Assert.Equal(3, json.GetProperty("totalCount").GetInt64());
        Assert.Equal("TOTAL_COUNT_RELATION_AT_LEAST", json.GetProperty("totalCountRelation").GetString());
        Assert.Equal(4, json.GetProperty("events").GetArrayLength());
    }

    [Theory]
    [InlineData("exactTotalCount")]
    [InlineData("exact_total_count")]
    public async Task ListEvents_ExactTotalCountOverRest_CountsEveryMatch(string parameter)
    {
        var service = await CreateAsync(5);

        var json = (await _http.GetRestAsync($"/api/v1alpha1/events/list?filter={Filter(service)}&{parameter}=true&per_page=2")).Expect(HttpStatusCode.OK);

        Assert.Equal(5, json.GetProperty("totalCount").GetInt64());
        Assert.Equal("TOTAL_COUNT_RELATION_EXACT", json.GetProperty("totalCountRelation").GetString());
        Assert.Equal(2, json.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task TodayEvents_ExactTotalCountOverGrpc_CountsEveryMatch()
    {
        var service = await CreateAsync(4, today: true);
        var request = new TodayEventsRequest { Filter = $"service=\"{service}\"" };

        var limited = await _client.TodayEventsAsync(request).ResponseAsync.Bounded();
        request.ExactTotalCount = true;
        var exact = await _client.TodayEventsAsync(request).ResponseAsync.Bounded();

        Assert.Equal((3, TotalCountRelation.AtLeast), (limited.TotalCount, limited.TotalCountRelation));
        Assert.Equal((4, TotalCountRelation.Exact), (exact.TotalCount, exact.TotalCountRelation));
    }

    [Fact]
    public async Task ListEvents_PerPagePastTheLimitOverRest_EveryPageUntilTheTokenIsEmpty()
    {
        var service = await CreateAsync(5);

        var pages = new List<JsonElement>();
        foreach (var page in new[] { 1, 2, 3, 4 })
        {
            pages.Add((await _http.GetRestAsync($"/api/v1alpha1/events/list?filter={Filter(service)}&per_page=2&page={page}")).Expect(HttpStatusCode.OK));
        }

        Assert.Equal([2, 2, 1, 0], pages.Select(p => p.GetProperty("events").GetArrayLength()));
        Assert.Equal(5, pages.SelectMany(p => p.GetProperty("events").EnumerateArray()).Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal([3L, 4, 5, 5], pages.Select(p => p.GetProperty("totalCount").GetInt64()));
        // The last page (page 3) knows the exact total; the empty page past it counts up to its offset.
        Assert.Equal(["AT_LEAST", "AT_LEAST", "EXACT", "EXACT"], pages.Select(p => p.GetProperty("totalCountRelation").GetString()!.Replace("TOTAL_COUNT_RELATION_", "", StringComparison.Ordinal)));
        Assert.Equal([true, true, false, false], pages.Select(p => p.GetProperty("nextPageToken").GetString()!.Length > 0));
    }

    [Fact]
    public async Task ListEvents_PageTokenWalkPastTheLimitOverGrpc_EveryEventOnceThenAnEmptyToken()
    {
        var service = await CreateAsync(7);

        var ids = new List<string>();
        var request = new ListEventsRequest { Filter = $"service=\"{service}\"", PageSize = 2 };
        var pages = 0;
        do
        {
            var page = await _client.ListEventsAsync(request).ResponseAsync.Bounded();
            Assert.Equal((3, TotalCountRelation.AtLeast), (page.TotalCount, page.TotalCountRelation));
            ids.AddRange(page.Events.Select(e => e.Id));
            request.PageToken = page.NextPageToken;
            pages++;
        }
        while (request.PageToken.Length > 0 && pages < 10);

        Assert.Equal(4, pages);
        Assert.Equal(7, ids.Distinct().Count());
    }

    private async Task<string> CreateAsync(int count, bool today = false)
    {
        var service = TestEvents.UniqueService();
        for (var i = 0; i < count; i++)
        {
            var request = TestEvents.Deployment(service, $"Deploy {i}");
            if (today)
            {
                // TodayEvents finds an event by its start_date, else its created_at (now).
                request.Attributes.StartDate = null;
                request.Attributes.EndDate = null;
            }

            await _client.CreateEventAsync(request).ResponseAsync.Bounded();
        }

        return service;
    }

    private static string Filter(string service) => Uri.EscapeDataString($"service=\"{service}\"");

    /// <summary>The host with Tracker:Search:CountLimit = 3.</summary>
    public sealed class CountingHost : IDisposable
    {
        private readonly TrackerFactory _factory = new() { Settings = { ["Tracker:Search:CountLimit"] = "3" } };

        public EventService.EventServiceClient CreateGrpcClient() => _factory.CreateGrpcClient();

        public EventService.EventServiceClient CreateGrpcWebClient(GrpcWebMode mode) => _factory.CreateGrpcWebClient(mode);

        public HttpClient CreateClient() => _factory.CreateClient();

        public void Dispose() => _factory.Dispose();
    }
}
