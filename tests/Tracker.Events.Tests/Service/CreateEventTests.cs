using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Tests.Support;
using Grpc.Core;
using Status = Tracker.Api.V1Alpha1.Status;
using Xunit;
using static Tracker.Events.Tests.Service.ServiceHarness;

namespace Tracker.Events.Tests.Service;

public sealed class CreateEventTests
{
    [Fact]
    public async Task CreateEvent_ValidRequest_AssignsUuidV7TimestampsAndEtag()
    {
        using var h = await StartAsync();

        var created = await h.CreateAsync();

        Assert.Equal(7, Guid.Parse(created.Id).Version);
        Assert.Equal(Timestamp.FromDateTimeOffset(Start), created.CreatedAt);
        Assert.Equal(created.CreatedAt, created.UpdatedAt);
        Assert.False(string.IsNullOrEmpty(created.Etag));
        Assert.Null(created.Duration);
        Assert.Equal("Deploy user-service v2.1.0 to production", created.Title);
        Assert.Equal(created, await h.Service.GetEvent(new GetEventRequest { Id = created.Id }, Context()).Bounded());
    }

    [Fact]
    public async Task CreateEvent_ClockBetweenMicroseconds_TruncatesTimestampsToMicroseconds()
    {
        using var h = await StartAsync();
        h.Clock.Advance(TimeSpan.FromTicks(15)); // 1.5 microseconds

        var created = await h.CreateAsync();

        Assert.Equal(1000, created.CreatedAt.Nanos);
        Assert.Equal(created, await h.Service.GetEvent(new GetEventRequest { Id = created.Id }, Context()).Bounded());
    }

    [Fact]
    public async Task CreateEvent_StartAndEndDates_SetsDuration()
    {
        using var h = await StartAsync();

        var created = await h.CreateAsync(r =>
        {
            r.Attributes.StartDate = Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 1, 15, 10, 0, 0, TimeSpan.Zero));
            r.Attributes.EndDate = Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 1, 15, 10, 5, 0, TimeSpan.Zero));
        });

        Assert.Equal(Duration.FromTimeSpan(TimeSpan.FromMinutes(5)), created.Duration);
    }

    [Fact]
    public async Task CreateEvent_TwoRequests_GetDistinctIdsAndEtags()
    {
        using var h = await StartAsync();

        var first = await h.CreateAsync();
        var second = await h.CreateAsync();

        Assert.NotEqual(first.Id, second.Id);
        Assert.NotEqual(first.Etag, second.Etag);
    }

    [Fact]
    public async Task CreateEvent_RepeatedRequestId_ReturnsFirstEventAndStoresNothingNew()
    {
        using var h = await StartAsync();
        var first = await h.CreateAsync(r => r.RequestId = "gha-run-42");
        h.Clock.Advance(TimeSpan.FromMinutes(1));

        var repeat = await h.CreateAsync(r => (r.RequestId, r.Title) = ("gha-run-42", "a different title"));

        Assert.Equal(first, repeat);
        var list = await h.Service.ListEvents(new ListEventsRequest(), Context()).Bounded();
        Assert.Equal(1, list.TotalCount);
    }

    [Fact]
    public async Task CreateEvent_RequestIdOver128Chars_InvalidArgumentOnRequestId()
    {
        using var h = await StartAsync();

        var fields = await RpcAssert.InvalidAsync(() => h.CreateAsync(r => r.RequestId = new string('r', 129)));

        Assert.Equal(["request_id"], fields);
    }

    [Fact]
    public async Task CreateEvent_EmptyRequest_InvalidArgumentNamingTitleTypeAndService()
    {
        using var h = await StartAsync();

        var e = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => h.Service.CreateEvent(new CreateEventRequest(), Context()));

        Assert.Equal(["title", "attributes.type", "attributes.service"], RpcAssert.Fields(e));
        Assert.StartsWith("Invalid event: title is required", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, (await h.Service.ListEvents(new ListEventsRequest(), Context()).Bounded()).TotalCount);
    }

    [Fact]
    public async Task CreateEvent_ServiceMissing_MessageNamesTheField()
    {
        using var h = await StartAsync();

        var e = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => h.CreateAsync(r => r.Attributes.Service = ""));

        Assert.Contains("attributes.service is required", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateEvent_ManyViolations_ListsEachAndStoresNothing()
    {
        using var h = await StartAsync();

        var fields = await RpcAssert.InvalidAsync(() => h.CreateAsync(r =>
        {
            r.Title = new string('t', 501);
            r.Attributes.Priority = (Priority)7;
            r.Attributes.StartDate = Timestamp.FromDateTimeOffset(Start);
            r.Attributes.EndDate = Timestamp.FromDateTimeOffset(Start.AddHours(-1));
            r.Attributes.Labels.Add("bad key", "v");
            r.Links = new EventLinks { PullRequestLink = "github.com/org/repo/pull/1" };
        }));

        Assert.Equal(["title", "attributes.priority", "attributes.end_date", "attributes.labels[\"bad key\"]", "links.pull_request_link"], fields);
        Assert.Equal(0, (await h.Service.ListEvents(new ListEventsRequest(), Context()).Bounded()).TotalCount);
    }

    [Fact]
    public async Task CreateEvent_EmptyPullRequestLinkFromCiTemplate_Accepted()
    {
        using var h = await StartAsync();

        var created = await h.CreateAsync(r => r.Links = new EventLinks { PullRequestLink = "" });

        Assert.Equal(string.Empty, created.Links.PullRequestLink);
    }

    [Fact]
    public async Task CreateEvent_SeedRelatedEventsExample_InheritsTheRelatedEventsService()
    {
        using var h = await StartAsync();
        var deployment = await h.CreateAsync();

        // The seed's rollback example: relatedId, type and status, no service.
        var rollback = await h.Service.CreateEvent(
            new CreateEventRequest
            {
                Title = "Rollback user-service to v2.0.9",
                Attributes = new EventAttributes { RelatedId = deployment.Id, Type = Api.V1Alpha1.Type.Deployment, Status = Status.Start },
            },
            Context()).Bounded();

        Assert.Equal("user-service", rollback.Attributes.Service);
        Assert.Equal(deployment.Id, rollback.Attributes.RelatedId);
    }

    [Fact]
    public async Task CreateEvent_RelatedIdAndOwnService_KeepsOwnService()
    {
        using var h = await StartAsync();
        var deployment = await h.CreateAsync();

        var follow = await h.CreateAsync(r => (r.Attributes.RelatedId, r.Attributes.Service) = (deployment.Id, "gateway"));

        Assert.Equal("gateway", follow.Attributes.Service);
    }

    [Theory]
    [InlineData("507f1f77bcf86cd799439011")]
    [InlineData("01890a5d-ac96-774b-bcce-b302099a8057")]
    public async Task CreateEvent_RelatedIdUnknown_InvalidArgumentOnRelatedId(string relatedId)
    {
        using var h = await StartAsync();

        var fields = await RpcAssert.InvalidAsync(() => h.CreateAsync(r => r.Attributes.RelatedId = relatedId));

        Assert.Equal(["attributes.related_id"], fields);
    }

    [Fact]
    public async Task CreateEvent_RelatedIdUnknownAndNoService_ViolatesBoth()
    {
        using var h = await StartAsync();

        var fields = await RpcAssert.InvalidAsync(() => h.CreateAsync(r => (r.Attributes.RelatedId, r.Attributes.Service) = ("missing", "")));

        Assert.Equal(["attributes.related_id", "attributes.service"], fields);
    }

    [Fact]
    public async Task CreateEvent_UndefinedEnumNumber_InvalidArgumentNotUnknown()
    {
        using var h = await StartAsync();

        var fields = await RpcAssert.InvalidAsync(() => h.CreateAsync(r => (r.Attributes.Type, r.Attributes.Environment) = ((Api.V1Alpha1.Type)42, (Api.V1Alpha1.Environment)(-3))));

        Assert.Equal(["attributes.type", "attributes.environment"], fields);
    }
}
