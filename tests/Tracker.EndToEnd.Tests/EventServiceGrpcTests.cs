using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.EndToEnd.Tests;

/// <summary>Every EventService RPC and error code, over real gRPC sockets to a real server process.</summary>
public abstract class EventServiceGrpcTests(TrackerServerFixture fixture)
{
    private TrackerGrpcClient Grpc => fixture.Grpc;

    [Fact]
    public async Task CreateEvent_ValidRequest_AssignsIdTimestampsEtagAndDuration()
    {
        var created = (await CreateAsync(NewRequest("create", start: "2024-01-15T10:00:00Z", end: "2024-01-15T10:05:00Z"))).Ok;

        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", created.Id);
        Assert.NotNull(created.CreatedAt);
        Assert.Equal(created.CreatedAt, created.UpdatedAt);
        Assert.False(string.IsNullOrEmpty(created.Etag));
        Assert.Equal(Duration.FromTimeSpan(TimeSpan.FromMinutes(5)), created.Duration);
        Assert.Equal("create", created.Attributes.Service);
    }

    [Fact]
    public async Task CreateEvent_RepeatedRequestId_ReturnsFirstEventAndStoresOne()
    {
        var service = Unique("idem");
        var request = NewRequest(service);
        request.RequestId = Guid.NewGuid().ToString();

        var first = (await CreateAsync(request)).Ok;
        var second = (await CreateAsync(request)).Ok;

        Assert.Equal(first, second);
        Assert.Equal(1, (await SearchAsync(new SearchEventsRequest { Service = service })).Ok.TotalCount);
    }

    [Fact]
    public async Task CreateEvent_MissingRequiredFields_InvalidArgumentNamingEachField()
    {
        var reply = await CreateAsync(new CreateEventRequest { Attributes = new EventAttributes() });

        Assert.Equal(3, reply.Status);
        Assert.Equal(["title", "attributes.type", "attributes.service"], reply.ViolatedFields());
    }

    [Fact]
    public async Task CreateEvent_BrokenRules_InvalidArgumentForEach()
    {
        var request = NewRequest("rules", start: "2024-01-15T10:00:00Z", end: "2024-01-15T09:00:00Z");
        request.Title = new string('t', 501);
        request.Attributes.Priority = (Priority)42;
        request.Attributes.RelatedId = Guid.CreateVersion7().ToString();
        request.Links = new EventLinks { PullRequestLink = "not a url" };
        for (var i = 0; i < 65; i++)
        {
            request.Attributes.Labels[$"k{i}"] = "v";
        }

        var reply = await CreateAsync(request);

        Assert.Equal(3, reply.Status);
        var fields = reply.ViolatedFields();
        Assert.Contains("title", fields);
        Assert.Contains("attributes.priority", fields);
        Assert.Contains("attributes.related_id", fields);
        Assert.Contains("links.pull_request_link", fields);
        Assert.Contains("attributes.labels", fields);
        Assert.Contains("attributes.end_date", fields);
    }

    [Fact]
    public async Task CreateEvent_RelatedIdWithoutService_InheritsRelatedService()
    {
        var parent = (await CreateAsync(NewRequest(Unique("parent")))).Ok;
        var rollback = new CreateEventRequest
        {
            Title = "Rollback",
            Attributes = new EventAttributes { RelatedId = parent.Id, Type = Type.Deployment, Status = Status.Start },
        };

        var created = (await CreateAsync(rollback)).Ok;

        Assert.Equal(parent.Attributes.Service, created.Attributes.Service);
        Assert.Equal(parent.Id, created.Attributes.RelatedId);
    }

    [Fact]
    public async Task GetEvent_Existing_ReturnsIt()
    {
        var created = (await CreateAsync(NewRequest("get"))).Ok;

        var fetched = (await Grpc.CallAsync("GetEvent", new GetEventRequest { Id = created.Id }, Event.Parser)).Ok;

        Assert.Equal(created, fetched);
    }

    [Fact]
    public async Task GetEvent_UnknownId_NotFound()
    {
        var reply = await Grpc.CallAsync("GetEvent", new GetEventRequest { Id = Guid.CreateVersion7().ToString() }, Event.Parser);

        Assert.Equal(5, reply.Status);
    }

    [Fact]
    public async Task GetEvent_EmptyId_InvalidArgument()
    {
        var reply = await Grpc.CallAsync("GetEvent", new GetEventRequest(), Event.Parser);

        Assert.Equal(3, reply.Status);
        Assert.Equal(["id"], reply.ViolatedFields());
    }

    [Fact]
    public async Task UpdateEvent_SetFieldsOnly_MergesAndReturnsEventAfterUpdate()
    {
        var created = (await CreateAsync(NewRequest("update", start: "2024-01-15T10:00:00Z"))).Ok;
        var update = new UpdateEventRequest
        {
            Id = created.Id,
            Attributes = new EventAttributes { Status = Status.Success, EndDate = Timestamp.FromDateTime(new DateTime(2024, 1, 15, 10, 5, 0, DateTimeKind.Utc)) },
        };

        var updated = (await Grpc.CallAsync("UpdateEvent", update, Event.Parser)).Ok;

        Assert.Equal(created.Title, updated.Title);
        Assert.Equal("update", updated.Attributes.Service);
        Assert.Equal(Status.Success, updated.Attributes.Status);
        Assert.Equal(Duration.FromTimeSpan(TimeSpan.FromMinutes(5)), updated.Duration);
        Assert.NotEqual(created.Etag, updated.Etag);
        Assert.Equal(updated, (await Grpc.CallAsync("GetEvent", new GetEventRequest { Id = created.Id }, Event.Parser)).Ok);
    }

    [Fact]
    public async Task UpdateEvent_WithMask_ChangesOnlyMaskedPaths()
    {
        var created = (await CreateAsync(NewRequest("mask", owner: "team-a"))).Ok;
        var update = new UpdateEventRequest
        {
            Id = created.Id,
            Title = "ignored, not in mask",
            Attributes = new EventAttributes { Owner = "" },
            UpdateMask = new FieldMask { Paths = { "attributes.owner" } },
        };

        var updated = (await Grpc.CallAsync("UpdateEvent", update, Event.Parser)).Ok;

        Assert.Equal(created.Title, updated.Title);
        Assert.Equal("", updated.Attributes.Owner);
    }

    [Fact]
    public async Task UpdateEvent_StaleEtag_Aborted()
    {
        var created = (await CreateAsync(NewRequest("etag"))).Ok;

        var reply = await Grpc.CallAsync("UpdateEvent", new UpdateEventRequest { Id = created.Id, Title = "new", Etag = "stale" }, Event.Parser);

        Assert.Equal(10, reply.Status);
    }

    [Fact]
    public async Task UpdateEvent_MergedEventInvalid_InvalidArgumentAndUnchanged()
    {
        var created = (await CreateAsync(NewRequest("invalid-merge", start: "2024-01-15T10:00:00Z"))).Ok;
        var update = new UpdateEventRequest { Id = created.Id, Attributes = new EventAttributes { EndDate = Timestamp.FromDateTime(new DateTime(2024, 1, 14, 0, 0, 0, DateTimeKind.Utc)) } };

        var reply = await Grpc.CallAsync("UpdateEvent", update, Event.Parser);

        Assert.Equal(3, reply.Status);
        Assert.Equal(created, (await Grpc.CallAsync("GetEvent", new GetEventRequest { Id = created.Id }, Event.Parser)).Ok);
    }

    [Fact]
    public async Task UpdateEvent_UnknownId_NotFound()
    {
        var reply = await Grpc.CallAsync("UpdateEvent", new UpdateEventRequest { Id = Guid.CreateVersion7().ToString(), Title = "x" }, Event.Parser);

        Assert.Equal(5, reply.Status);
    }

    [Fact]
    public async Task DeleteEvent_Existing_RemovesIt()
    {
        var created = (await CreateAsync(NewRequest("delete"))).Ok;

        Assert.Equal(0, (await Grpc.CallAsync("DeleteEvent", new DeleteEventRequest { Id = created.Id }, Empty.Parser)).Status);
        Assert.Equal(5, (await Grpc.CallAsync("GetEvent", new GetEventRequest { Id = created.Id }, Event.Parser)).Status);
        Assert.Equal(5, (await Grpc.CallAsync("DeleteEvent", new DeleteEventRequest { Id = created.Id }, Empty.Parser)).Status);
        Assert.Equal(0, (await Grpc.CallAsync("DeleteEvent", new DeleteEventRequest { Id = created.Id, AllowMissing = true }, Empty.Parser)).Status);
    }

    [Fact]
    public async Task DeleteEvent_StaleEtag_AbortedAndKept()
    {
        var created = (await CreateAsync(NewRequest("delete-etag"))).Ok;

        Assert.Equal(10, (await Grpc.CallAsync("DeleteEvent", new DeleteEventRequest { Id = created.Id, Etag = "stale" }, Empty.Parser)).Status);
        Assert.Equal(0, (await Grpc.CallAsync("GetEvent", new GetEventRequest { Id = created.Id }, Event.Parser)).Status);
    }

    [Fact]
    public async Task ListEvents_PerPageAndPage_PagesWithExactTotal()
    {
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync(NewRequest(Unique("list")));
        }

        var first = (await Grpc.CallAsync("ListEvents", new ListEventsRequest { PerPage = 2, Page = 1 }, ListEventsResponse.Parser)).Ok;
        var second = (await Grpc.CallAsync("ListEvents", new ListEventsRequest { PerPage = 2, Page = 2 }, ListEventsResponse.Parser)).Ok;

        Assert.Equal(2, first.Events.Count);
        Assert.True(first.TotalCount >= 3);
        Assert.Equal(first.TotalCount, second.TotalCount);
        Assert.Empty(first.Events.Select(e => e.Id).Intersect(second.Events.Select(e => e.Id)));
        Assert.True(first.Events[0].CreatedAt.ToDateTimeOffset() >= first.Events[1].CreatedAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task ListEvents_NegativePerPage_InvalidArgument()
    {
        var reply = await Grpc.CallAsync("ListEvents", new ListEventsRequest { PerPage = -1 }, ListEventsResponse.Parser);

        Assert.Equal(3, reply.Status);
        Assert.Equal(["per_page"], reply.ViolatedFields());
    }

    [Fact]
    public async Task SearchEvents_PageTokenWalk_YieldsEachEventOnceWhileCollectionGrows()
    {
        var service = Unique("walk");
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await CreateAsync(NewRequest(service))).Ok.Id);
        }

        var seen = new List<string>();
        var token = "";
        do
        {
            var page = (await SearchAsync(new SearchEventsRequest { Service = service, PageSize = 3, PageToken = token })).Ok;
            seen.AddRange(page.Events.Select(e => e.Id));
            token = page.NextPageToken;
            await CreateAsync(NewRequest(service));
        }
        while (token != "");

        Assert.Empty(ids.Except(seen));
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task SearchEvents_TokenFromAnotherQuery_InvalidArgument()
    {
        var service = Unique("token");
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync(NewRequest(service));
        }

        var page = (await SearchAsync(new SearchEventsRequest { Service = service, PageSize = 1 })).Ok;
        var reply = await SearchAsync(new SearchEventsRequest { Service = "other", PageSize = 1, PageToken = page.NextPageToken });

        Assert.Equal(3, reply.Status);
        Assert.Equal(["page_token"], reply.ViolatedFields());
    }

    [Fact]
    public async Task SearchEvents_EachFilter_MatchesOnlyThatEvent()
    {
        var service = Unique("filters");
        var match = NewRequest(service, owner: "ops", start: "2024-03-10T12:00:00Z");
        match.Attributes.Priority = Priority.P1;
        match.Attributes.Type = Type.Incident;
        match.Attributes.Status = Status.Open;
        match.Attributes.Environment = Api.V1Alpha1.Environment.Production;
        match.Attributes.Impact = Impact.High;
        match.Attributes.Source = "pagerduty";
        var expected = (await CreateAsync(match)).Ok;
        await CreateAsync(NewRequest(service, start: "2024-05-01T00:00:00Z"));

        var filters = new[]
        {
            new SearchEventsRequest { Service = service, Priority = Priority.P1 },
            new SearchEventsRequest { Service = service, Type = Type.Incident },
            new SearchEventsRequest { Service = service, Status = Status.Open },
            new SearchEventsRequest { Service = service, Environment = Api.V1Alpha1.Environment.Production },
            new SearchEventsRequest { Service = service, Impact = Impact.High },
            new SearchEventsRequest { Service = service, Source = "pagerduty" },
            new SearchEventsRequest { Service = service, Owner = "ops" },
            new SearchEventsRequest { Service = service, StartDate = "2024-03-10", EndDate = "2024-03-10" },
            new SearchEventsRequest { Service = service, StartDate = "2024-03-10T11:00:00Z", EndDate = "2024-03-31" },
        };
        foreach (var filter in filters)
        {
            var found = (await SearchAsync(filter)).Ok;
            Assert.Equal([expected.Id], found.Events.Select(e => e.Id));
            Assert.Equal(1, found.TotalCount);
        }
    }

    [Theory]
    [InlineData("2024-13-01", "", "start_date")]
    [InlineData("", "yesterday", "end_date")]
    [InlineData("2024-02-01", "2024-01-01", "start_date")]
    public async Task SearchEvents_BadDates_InvalidArgument(string start, string end, string field)
    {
        var reply = await SearchAsync(new SearchEventsRequest { StartDate = start, EndDate = end });

        Assert.Equal(3, reply.Status);
        Assert.Contains(field, reply.ViolatedFields());
    }

    [Fact]
    public async Task TodayEvents_EventCreatedNowWithoutStartDate_IsIncluded()
    {
        var created = (await CreateAsync(NewRequest(Unique("today")))).Ok;

        var today = (await Grpc.CallAsync("TodayEvents", new TodayEventsRequest { PerPage = 1000 }, TodayEventsResponse.Parser)).Ok;

        Assert.Contains(created.Id, today.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task TodayEvents_UnknownTimeZone_InvalidArgument()
    {
        var reply = await Grpc.CallAsync("TodayEvents", new TodayEventsRequest { TimeZone = "Mars/Olympus" }, TodayEventsResponse.Parser);

        Assert.Equal(3, reply.Status);
        Assert.Equal(["time_zone"], reply.ViolatedFields());
    }

    [Fact]
    public async Task CreateEvent_200Concurrent_EachServedOrRefusedWithPushback_RetriedAllStoredWithDistinctIds()
    {
        var service = Unique("burst");
        var ids = new List<string>();
        var pending = 200;

        // A burst may pass the write slots and queue (64 per processor of each): what does not fit
        // is refused at once with RESOURCE_EXHAUSTED, and a client that waits the pushback gets
        // it all in.
        for (var round = 0; pending > 0 && round < 20; round++)
        {
            var replies = await Task.WhenAll(Enumerable.Range(0, pending).Select(i => CreateAsync(NewRequest(service))));
            Assert.All(replies, r => Assert.Contains(r.Status, new[] { 0, 8 }));
            ids.AddRange(replies.Where(r => r.Status == 0).Select(r => r.Ok.Id));
            var refused = replies.Where(r => r.Status == 8).ToArray();
            pending = refused.Length;
            if (pending > 0)
            {
                await Task.Delay(refused.Max(r => int.Parse(r.Raw.Get("grpc-retry-pushback-ms")!, CultureInfo.InvariantCulture)));
            }
        }

        Assert.Equal(200, ids.Distinct().Count());
        Assert.Equal(200, (await SearchAsync(new SearchEventsRequest { Service = service })).Ok.TotalCount);
    }

    [Fact]
    public async Task UpdateEvent_50ConcurrentWithSameEtag_ExactlyOneWinsRestAborted()
    {
        var created = (await CreateAsync(NewRequest(Unique("race")))).Ok;

        var replies = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Grpc.CallAsync("UpdateEvent", new UpdateEventRequest { Id = created.Id, Etag = created.Etag, Title = $"writer {i}" }, Event.Parser)));

        Assert.Single(replies, r => r.Status == 0);
        Assert.All(replies.Where(r => r.Status != 0), r => Assert.Equal(10, r.Status));
    }

    [Fact]
    public async Task UpdateEvent_50ConcurrentWithoutEtag_AllSucceed()
    {
        var created = (await CreateAsync(NewRequest(Unique("last-writer")))).Ok;

        var replies = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Grpc.CallAsync("UpdateEvent", new UpdateEventRequest { Id = created.Id, Title = $"writer {i}" }, Event.Parser)));

        Assert.All(replies, r => Assert.Equal(0, r.Status));
        var final = (await Grpc.CallAsync("GetEvent", new GetEventRequest { Id = created.Id }, Event.Parser)).Ok;
        Assert.Contains(final.Title, replies.Select(r => r.Ok.Title));
    }

    [Fact]
    public async Task UpdateEvent_50ConcurrentReadModifyWriteWithEtags_NoUpdateLost()
    {
        var created = (await CreateAsync(NewRequest(Unique("labels")))).Ok;

        // Each writer adds its own label the way a careful client does: read, change, write
        // with the etag it read, and start over when another writer got there first.
        async Task AddLabelAsync(int writer)
        {
            while (true)
            {
                var current = (await Grpc.CallAsync("GetEvent", new GetEventRequest { Id = created.Id }, Event.Parser)).Ok;
                var attributes = new EventAttributes();
                attributes.Labels.Add(current.Attributes.Labels);
                attributes.Labels[$"writer-{writer}"] = "done";
                var update = new UpdateEventRequest { Id = created.Id, Etag = current.Etag, Attributes = attributes, UpdateMask = new FieldMask { Paths = { "attributes.labels" } } };
                var reply = await Grpc.CallAsync("UpdateEvent", update, Event.Parser);
                if (reply.Status == 0)
                {
                    return;
                }

                Assert.Equal(10, reply.Status);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 50).Select(AddLabelAsync)).WaitAsync(TimeSpan.FromMinutes(2));

        var final = (await Grpc.CallAsync("GetEvent", new GetEventRequest { Id = created.Id }, Event.Parser)).Ok;
        Assert.Equal(50, final.Attributes.Labels.Count);
    }

    private Task<Reply<Event>> CreateAsync(CreateEventRequest request) => Grpc.CallAsync("CreateEvent", request, Event.Parser);

    private Task<Reply<SearchEventsResponse>> SearchAsync(SearchEventsRequest request) => Grpc.CallAsync("SearchEvents", request, SearchEventsResponse.Parser);

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static CreateEventRequest NewRequest(string service, string? owner = null, string? start = null, string? end = null) => new()
    {
        Title = $"Deploy {service}",
        Attributes = new EventAttributes
        {
            Type = Type.Deployment,
            Service = service,
            Owner = owner ?? "",
            StartDate = start is null ? null : Timestamp.FromDateTimeOffset(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture)),
            EndDate = end is null ? null : Timestamp.FromDateTimeOffset(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture)),
        },
    };
}

public sealed class SqliteEventServiceGrpcTests(SqliteTrackerFixture fixture)
    : EventServiceGrpcTests(fixture), IClassFixture<SqliteTrackerFixture>;

public sealed class PostgresEventServiceGrpcTests(PostgresTrackerFixture fixture)
    : EventServiceGrpcTests(fixture), IClassFixture<PostgresTrackerFixture>;
