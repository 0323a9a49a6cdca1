using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;
using EventStatus = Tracker.Api.V1Alpha1.Status;
using EventType = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Server.Tests.Api;

/// <summary>Every EventService RPC over gRPC (Grpc.Net.Client's typed client), in process.</summary>
public sealed class EventServiceGrpcTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly EventService.EventServiceClient _client = factory.CreateGrpcClient();

    [Fact]
    public async Task CreateEvent_ValidEvent_ReturnsItWithIdTimestampsEtagAndDuration()
    {
        var request = TestEvents.Deployment();

        var created = await _client.CreateEventAsync(request).Bounded();

        Assert.True(Guid.TryParse(created.Id, out var id), created.Id);
        Assert.Equal(7, id.Version);
        Assert.NotNull(created.CreatedAt);
        Assert.Equal(created.CreatedAt, created.UpdatedAt);
        Assert.NotEmpty(created.Etag);
        Assert.Equal(Duration.FromTimeSpan(TimeSpan.FromHours(1)), created.Duration);
        Assert.Equal(request.Title, created.Title);
        Assert.Equal(request.Attributes, created.Attributes);
        Assert.Equal(request.Links, created.Links);
    }

    [Fact]
    public async Task CreateEvent_OwnSqliteFile_HoldsTheEvent()
    {
        await _client.CreateEventAsync(TestEvents.Deployment()).Bounded();

        Assert.True(File.Exists(factory.DatabasePath), factory.DatabasePath);
    }

    [Fact]
    public async Task CreateEvent_SameRequestIdTwice_ReturnsTheFirstEvent()
    {
        var request = TestEvents.Deployment();
        request.RequestId = Guid.NewGuid().ToString();

        var first = await _client.CreateEventAsync(request).Bounded();
        var second = await _client.CreateEventAsync(request).Bounded();

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task GetEvent_ExistingId_ReturnsTheStoredEvent()
    {
        var created = await _client.CreateEventAsync(TestEvents.Deployment()).Bounded();

        var read = await _client.GetEventAsync(new GetEventRequest { Id = created.Id }).Bounded();

        Assert.Equal(created, read);
    }

    [Fact]
    public async Task UpdateEvent_NewTitleAndStatus_ReturnsMergedEventWithNewEtag()
    {
        var created = await _client.CreateEventAsync(TestEvents.Deployment()).Bounded();

        var updated = await _client.UpdateEventAsync(new UpdateEventRequest
        {
            Id = created.Id,
            Title = "Deploy api v3.2.1",
            Attributes = new EventAttributes { Status = EventStatus.Success },
            Etag = created.Etag,
        }).Bounded();

        Assert.Equal("Deploy api v3.2.1", updated.Title);
        Assert.Equal(EventStatus.Success, updated.Attributes.Status);
        Assert.Equal(created.Attributes.Service, updated.Attributes.Service);
        Assert.NotEqual(created.Etag, updated.Etag);
        Assert.Equal(updated, await _client.GetEventAsync(new GetEventRequest { Id = created.Id }).Bounded());
    }

    [Fact]
    public async Task DeleteEvent_ExistingId_ThenGetIsNotFound()
    {
        var created = await _client.CreateEventAsync(TestEvents.Deployment()).Bounded();

        await _client.DeleteEventAsync(new DeleteEventRequest { Id = created.Id }).Bounded();

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GetEventAsync(new GetEventRequest { Id = created.Id }).Bounded());
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task DeleteEvent_MissingIdWithAllowMissing_Succeeds()
    {
        await _client.DeleteEventAsync(new DeleteEventRequest { Id = Guid.NewGuid().ToString(), AllowMissing = true }).Bounded();
    }

    [Fact]
    public async Task ListEvents_AfterTwoCreates_NewestFirstWithExactTotal()
    {
        var older = await _client.CreateEventAsync(TestEvents.Deployment()).Bounded();
        var newer = await _client.CreateEventAsync(TestEvents.Deployment()).Bounded();

        var page = await _client.ListEventsAsync(new ListEventsRequest { PerPage = 1000 }).Bounded();

        var ids = page.Events.Select(e => e.Id).ToList();
        Assert.True(ids.IndexOf(newer.Id) >= 0 && ids.IndexOf(newer.Id) < ids.IndexOf(older.Id), string.Join(",", ids));
        Assert.Equal(page.Events.Count, page.TotalCount);
        Assert.Empty(page.NextPageToken);
    }

    [Fact]
    public async Task ListEvents_PageToken_ContinuesWhereThePreviousPageEnded()
    {
        await _client.CreateEventAsync(TestEvents.Deployment()).Bounded();
        await _client.CreateEventAsync(TestEvents.Deployment()).Bounded();

        var first = await _client.ListEventsAsync(new ListEventsRequest { PageSize = 1 }).Bounded();
        var second = await _client.ListEventsAsync(new ListEventsRequest { PageSize = 1, PageToken = first.NextPageToken }).Bounded();

        Assert.Single(first.Events);
        Assert.NotEmpty(first.NextPageToken);
        Assert.Single(second.Events);
        Assert.NotEqual(first.Events[0].Id, second.Events[0].Id);
    }

    [Fact]
    public async Task SearchEvents_ServiceAndType_ReturnsOnlyMatchingEvents()
    {
        var service = TestEvents.UniqueService();
        var deployment = await _client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();
        var incident = TestEvents.Deployment(service);
        incident.Attributes.Type = EventType.Incident;
        await _client.CreateEventAsync(incident).Bounded();
        await _client.CreateEventAsync(TestEvents.Deployment()).Bounded();

        var found = await _client.SearchEventsAsync(new SearchEventsRequest { Service = service, Type = EventType.Deployment }).Bounded();

        Assert.Equal([deployment.Id], found.Events.Select(e => e.Id));
        Assert.Equal(1, found.TotalCount);
    }

    [Fact]
    public async Task SearchEvents_DateRange_UsesStartDate()
    {
        var service = TestEvents.UniqueService();
        var inRange = await _client.CreateEventAsync(TestEvents.Deployment(service)).Bounded();

        var found = await _client.SearchEventsAsync(new SearchEventsRequest { Service = service, StartDate = "2024-01-15", EndDate = "2024-01-15" }).Bounded();
        var none = await _client.SearchEventsAsync(new SearchEventsRequest { Service = service, StartDate = "2024-01-16" }).Bounded();

        Assert.Equal([inRange.Id], found.Events.Select(e => e.Id));
        Assert.Empty(none.Events);
        Assert.Equal(0, none.TotalCount);
    }

    [Fact]
    public async Task TodayEvents_EventStartingNow_IsListed()
    {
        var request = TestEvents.Deployment();
        request.Attributes.StartDate = Timestamp.FromDateTime(DateTime.UtcNow);
        request.Attributes.EndDate = null;
        var created = await _client.CreateEventAsync(request).Bounded();

        var today = await _client.TodayEventsAsync(new TodayEventsRequest { TimeZone = "UTC", PerPage = 1000 }).Bounded();

        Assert.Contains(today.Events, e => e.Id == created.Id);
    }
}
