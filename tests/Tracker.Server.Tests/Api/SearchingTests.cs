using System.Net;
using System.Text.Json;
using Google.Rpc;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;
using EventType = Tracker.Api.V1Alpha1.Type;
using StatusCode = Grpc.Core.StatusCode;

namespace Tracker.Server.Tests.Api;

/// <summary>
/// The query language of README's "Searching" through the real service, over gRPC and REST: filter (AIP-160),
/// query (MongoDB-style), q (full text), after_id and multi-key order_by on List, Search and
/// Today, their errors, and page tokens bound to the whole query. Each test tags its events with
/// a label of its own (labels.run) so the shared database's other events never match.
/// </summary>
public sealed class SearchingTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly EventService.EventServiceClient _client = factory.CreateGrpcClient();
    private readonly HttpClient _http = factory.CreateClient();

    [Fact]
    public async Task ListEvents_FilterOverGrpc_ReturnsOnlyMatchingEvents()
    {
        var run = NewRun();
        var p1 = await CreateAsync(run, "Checkout down", EventType.Incident, Priority.P1, "checkout");
        var p2 = await CreateAsync(run, "Payments slow", EventType.Incident, Priority.P2, "payments");
        await CreateAsync(run, "Payments P3", EventType.Incident, Priority.P3, "payments");
        await CreateAsync(run, "Deploy payments", EventType.Deployment, Priority.P1, "payments");

        var response = await _client.ListEventsAsync(new ListEventsRequest
        {
            Filter = $"labels.run=\"{run}\" AND priority<=PRIORITY_P2 AND type=TYPE_INCIDENT AND (service=\"pay*\" OR service=checkout)",
        }).ResponseAsync.Bounded();

        Assert.Equal([p2.Id, p1.Id], response.Events.Select(e => e.Id));
        Assert.Equal(2, response.TotalCount);
    }

    [Fact]
    public async Task SearchEvents_FilterAndQueryOverRest_SameIdsAsOverGrpc()
    {
        var run = NewRun();
        var error = await CreateAsync(run, "Disk full", EventType.Incident, Priority.P2, "db", Severity.Error);
        var alert = await CreateAsync(run, "DB down", EventType.Incident, Priority.P1, "db", Severity.Alert);
        await CreateAsync(run, "Disk 80%", EventType.Incident, Priority.P3, "db", Severity.Normal);

        var filter = $"labels.run=\"{run}\" severity>SEVERITY_NORMAL";
        var query = $$$"""{"labels.run":"{{{run}}}","severity":{"$in":["SEVERITY_ERROR","SEVERITY_ALERT"]}}""";
        var byFilter = (await _http.GetRestAsync($"/api/v1alpha1/events/search?service=db&filter={Uri.EscapeDataString(filter)}")).Expect(HttpStatusCode.OK);
        var byQuery = (await _http.GetRestAsync($"/api/v1alpha1/events/search?service=db&query={Uri.EscapeDataString(query)}")).Expect(HttpStatusCode.OK);
        var overGrpc = await _client.SearchEventsAsync(new SearchEventsRequest { Service = "db", Query = query }).ResponseAsync.Bounded();

        string[] expected = [alert.Id, error.Id];
        Assert.Equal(expected, Ids(byFilter));
        Assert.Equal(expected, Ids(byQuery));
        Assert.Equal(expected, overGrpc.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task SearchEvents_EqualityFieldsAndFilter_AreAnded()
    {
        var run = NewRun();
        var wanted = await CreateAsync(run, "Deploy", EventType.Deployment, Priority.P1, "api");
        await CreateAsync(run, "Deploy", EventType.Deployment, Priority.P1, "web");

        var response = await _client.SearchEventsAsync(new SearchEventsRequest { Service = "api", Filter = $"labels.run=\"{run}\"" }).ResponseAsync.Bounded();

        Assert.Equal([wanted.Id], response.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task ListEvents_FullTextQ_MatchesWordPrefixesInTitleAndMessage()
    {
        var run = NewRun();
        var title = await CreateAsync(run, "Rollback of checkout-api", EventType.Operation, Priority.P3, "checkout");
        var message = await CreateAsync(run, "Routine", EventType.Operation, Priority.P3, "checkout", message: "ROLLED back after errors");
        var word = await CreateAsync(run, "Scale up", EventType.Operation, Priority.P3, "checkout", message: "no roll here? rol");
        await CreateAsync(run, "Scale down", EventType.Operation, Priority.P3, "checkout", message: "enroll, rol");

        var response = (await _http.GetRestAsync($"/api/v1alpha1/events/list?q=rollb%20CHECK&filter={Uri.EscapeDataString($"labels.run=\"{run}\"")}")).Expect(HttpStatusCode.OK);
        var both = await _client.ListEventsAsync(new ListEventsRequest { Q = "roll", Filter = $"labels.run=\"{run}\"", OrderBy = "title" }).ResponseAsync.Bounded();

        Assert.Equal([title.Id], Ids(response));
        Assert.Equal([title.Id, message.Id, word.Id], both.Events.Select(e => e.Id));
        Assert.Equal(3, both.TotalCount);
    }

    [Fact]
    public async Task ListEvents_AfterIdPolling_YieldsEveryEventOnceOldestFirst()
    {
        var run = NewRun();
        var first = await CreateAsync(run, "e0", EventType.Operation, Priority.P3, "poll");
        var created = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            created.Add((await CreateAsync(run, $"e{i}", EventType.Operation, Priority.P3, "poll")).Id);
        }

        var seen = new List<string>();
        var last = first.Id;
        while (true)
        {
            var page = await _client.ListEventsAsync(new ListEventsRequest { AfterId = last, PageSize = 2, Filter = $"labels.run=\"{run}\"" }).ResponseAsync.Bounded();
            if (page.Events.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Events.Select(e => e.Id));
            last = page.Events[^1].Id;
        }

        Assert.Equal(created, seen);
    }

    [Fact]
    public async Task ListEvents_AfterIdPollingWhileEightWritersCreate_SeesEveryEventExactlyOnce()
    {
        var run = NewRun();
        var start = await CreateAsync(run, "start", EventType.Operation, Priority.P3, "poll");
        var writers = Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            var ids = new List<string>();
            for (var i = 0; i < 25; i++)
            {
                ids.Add((await CreateAsync(run, $"w{writer}-{i}", EventType.Operation, Priority.P3, "poll")).Id);
            }

            return ids;
        })).ToArray();

        var seen = new List<string>();
        var last = start.Id;
        var writing = Task.WhenAll(writers);
        while (true)
        {
            var done = writing.IsCompleted;
            var page = await _client.ListEventsAsync(new ListEventsRequest { AfterId = last, PageSize = 7, Filter = $"labels.run=\"{run}\"" }).ResponseAsync.Bounded();
            seen.AddRange(page.Events.Select(e => e.Id));
            if (page.Events.Count > 0)
            {
                last = page.Events[^1].Id;
            }
            else if (done)
            {
                break;
            }
        }

        var created = (await writing).SelectMany(ids => ids).ToHashSet();
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(created.Order(), seen.Order());
    }

    [Fact]
    public async Task ListEvents_AfterIdWithPageTokens_WalksEveryLaterEventOnce()
    {
        var run = NewRun();
        var first = await CreateAsync(run, "e0", EventType.Operation, Priority.P3, "poll");
        var later = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            later.Add((await CreateAsync(run, $"e{i}", EventType.Operation, Priority.P3, "poll")).Id);
        }

        var seen = new List<string>();
        var token = string.Empty;
        do
        {
            var page = await _client.ListEventsAsync(new ListEventsRequest { AfterId = first.Id, PageSize = 2, PageToken = token, Filter = $"labels.run=\"{run}\"" }).ResponseAsync.Bounded();
            seen.AddRange(page.Events.Select(e => e.Id));
            Assert.Equal(5, page.TotalCount);
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal(later, seen);
    }

    [Fact]
    public async Task ListEvents_OrderBySeveralKeys_SortsByEachThenId()
    {
        var run = NewRun();
        var a = await CreateAsync(run, "a", EventType.Incident, Priority.P2, "svc-b", Severity.Error);
        var b = await CreateAsync(run, "b", EventType.Incident, Priority.P1, "svc-a", Severity.Error);
        var c = await CreateAsync(run, "c", EventType.Incident, Priority.P1, "svc-c", Severity.Alert);

        var response = (await _http.GetRestAsync($"/api/v1alpha1/events/list?orderBy={Uri.EscapeDataString("severity desc, service")}&filter={Uri.EscapeDataString($"labels.run=\"{run}\"")}")).Expect(HttpStatusCode.OK);

        Assert.Equal([c.Id, b.Id, a.Id], Ids(response));
    }

    [Fact]
    public async Task TodayEvents_Filter_NarrowsTheDay()
    {
        var run = NewRun();
        var today = await CreateAsync(run, "now", EventType.Operation, Priority.P3, "today", withDates: false);
        await CreateAsync(run, "now too", EventType.Deployment, Priority.P3, "today", withDates: false);

        var response = await _client.TodayEventsAsync(new TodayEventsRequest { Filter = $"labels.run=\"{run}\" type=TYPE_OPERATION" }).ResponseAsync.Bounded();

        Assert.Equal([today.Id], response.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task PageToken_ReusedWithAnotherFilter_InvalidArgumentOnPageToken()
    {
        var run = NewRun();
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync(run, $"e{i}", EventType.Operation, Priority.P3, "tokens");
        }

        var first = await _client.ListEventsAsync(new ListEventsRequest { PageSize = 1, Filter = $"labels.run=\"{run}\"" }).ResponseAsync.Bounded();
        var sameByQuery = await _client.ListEventsAsync(new ListEventsRequest { PageSize = 1, PageToken = first.NextPageToken, Query = $$"""{"labels.run":"{{run}}"}""" }).ResponseAsync.Bounded();
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ListEventsAsync(new ListEventsRequest
        {
            PageSize = 1, PageToken = first.NextPageToken, Filter = $"labels.run=\"{run}\" type=TYPE_OPERATION",
        }).ResponseAsync.Bounded());
        var otherWords = await Assert.ThrowsAsync<RpcException>(() => _client.ListEventsAsync(new ListEventsRequest
        {
            PageSize = 1, PageToken = first.NextPageToken, Filter = $"labels.run=\"{run}\"", Q = "e0",
        }).ResponseAsync.Bounded());

        Assert.Single(sameByQuery.Events);
        Assert.Equal("page_token", Violation(error).Field);
        Assert.Equal("MISMATCH", Violation(error).Reason);
        Assert.Equal("page_token", Violation(otherWords).Field);
    }

    [Theory]
    [InlineData("filter=service%3D", "filter", "at column 9: expected a value after \"=\", found the end of the filter")]
    [InlineData("filter=colour%3Dred", "filter", "UNKNOWN_FIELD")]
    [InlineData("query=%7B%22severity%22%3A%7B%22%24regex%22%3A%22x%22%7D%7D", "query", "at $.severity.$regex: unknown operator \"$regex\"; expected one of $eq $ne $gt $gte $lt $lte $in $nin $exists $not")]
    [InlineData("filter=service%3Dx&query=%7B%7D", "query", "cannot be combined with filter: they are two spellings of one expression; send one")]
    [InlineData("q=%3F%3F%3F", "q", "has no word: give at least one letter or digit")]
    [InlineData("afterId=00000000-0000-0000-0000-000000000000", "after_id", "names no event: \"00000000-0000-0000-0000-000000000000\" does not exist (deleted, or never created)")]
    [InlineData("afterId=x&orderBy=title", "order_by", "must be empty with after_id, which lists events oldest first, in the order they were created")]
    [InlineData("orderBy=labels", "order_by", "cannot sort by \"labels\"; sortable fields: title, id, created_at, updated_at, message, source, type, priority, related_id, service, status, environment, impact, start_date, end_date, owner, severity, reason, code, notification, count, aggregation_key")]
    public async Task ListEvents_BadSearch_400NamingTheFieldAndTheRule(string queryString, string field, string expected)
    {
        var response = (await _http.GetRestAsync($"/api/v1alpha1/events/list?{queryString}")).Expect(HttpStatusCode.BadRequest);

        Assert.Equal(3, response.GetProperty("code").GetInt32());
        var violations = response.GetProperty("details")[0].GetProperty("fieldViolations").EnumerateArray().ToArray();
        var violation = violations.First(v => v.GetProperty("field").GetString() == field);
        var text = expected.Length > 0 && expected.All(ch => char.IsUpper(ch) || ch == '_')
            ? violation.GetProperty("reason").GetString()
            : violation.GetProperty("description").GetString();
        Assert.Equal(expected, text);
    }

    [Fact]
    public async Task ListEvents_SqlMetacharactersInLiterals_AreData()
    {
        var run = NewRun();
        var tricky = await CreateAsync(run, "it's 100% \"done\"; DROP TABLE events; --_", EventType.Operation, Priority.P3, "sql");
        await CreateAsync(run, "its 100 done", EventType.Operation, Priority.P3, "sql");

        var response = await _client.ListEventsAsync(new ListEventsRequest
        {
            Filter = $"labels.run=\"{run}\" title=\"it's 100% \\\"done\\\"; DROP TABLE events; --_\"",
        }).ResponseAsync.Bounded();
        var wildcard = await _client.ListEventsAsync(new ListEventsRequest { Filter = $"labels.run=\"{run}\" title=\"*%*\"" }).ResponseAsync.Bounded();

        Assert.Equal([tricky.Id], response.Events.Select(e => e.Id));
        Assert.Equal([tricky.Id], wildcard.Events.Select(e => e.Id));
    }

    private static string NewRun() => Guid.NewGuid().ToString("N");

    private async Task<Event> CreateAsync(
        string run, string title, EventType type, Priority priority, string service, Severity severity = Severity.Unspecified, string? message = null, bool withDates = true)
    {
        var request = TestEvents.Deployment(service, title);
        request.Attributes.Type = type;
        request.Attributes.Priority = priority;
        request.Attributes.Severity = severity;
        request.Attributes.Labels["run"] = run;
        if (message is not null)
        {
            request.Attributes.Message = message;
        }

        if (!withDates)
        {
            request.Attributes.StartDate = null;
            request.Attributes.EndDate = null;
        }

        return await _client.CreateEventAsync(request).ResponseAsync.Bounded();
    }

    private static IEnumerable<string> Ids(JsonElement listing) =>
        listing.TryGetProperty("events", out var events) ? events.EnumerateArray().Select(e => e.GetProperty("id").GetString()!) : [];

    private static BadRequest.Types.FieldViolation Violation(RpcException error) =>
        Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
}
