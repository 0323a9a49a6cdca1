using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Tests.Support;
using Grpc.Core;
using Status = Tracker.Api.V1Alpha1.Status;
using Xunit;
using static Tracker.Events.Tests.Service.ServiceHarness;

namespace Tracker.Events.Tests.Service;

public sealed class UpdateEventTests
{
    private static readonly Timestamp TenOClock = Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 1, 15, 10, 0, 0, TimeSpan.Zero));
    private static readonly Timestamp FiveMinutesPast = Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 1, 15, 10, 5, 0, TimeSpan.Zero));

    [Fact]
    public async Task UpdateEvent_SeedExampleWithoutMask_ReturnsTheEventAfterTheUpdate()
    {
        using var h = await StartAsync();
        var created = await h.CreateAsync(r => (r.Attributes.Status, r.Attributes.StartDate, r.Attributes.Owner) = (Status.Start, TenOClock, "platform-team"));
        h.Clock.Advance(TimeSpan.FromMinutes(5));

        var updated = await h.Service.UpdateEvent(
            new UpdateEventRequest
            {
                Id = created.Id,
                Title = created.Title,
                Attributes = new EventAttributes { Status = Status.Success, EndDate = FiveMinutesPast },
            },
            Context()).Bounded();

        Assert.Equal(Status.Success, updated.Attributes.Status);
        Assert.Equal(FiveMinutesPast, updated.Attributes.EndDate);
        Assert.Equal("user-service", updated.Attributes.Service);
        Assert.Equal("platform-team", updated.Attributes.Owner);
        Assert.Equal(Api.V1Alpha1.Type.Deployment, updated.Attributes.Type);
        Assert.Equal(Duration.FromTimeSpan(TimeSpan.FromMinutes(5)), updated.Duration);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.Equal(Timestamp.FromDateTimeOffset(Start.AddMinutes(5)), updated.UpdatedAt);
        Assert.NotEqual(created.Etag, updated.Etag);
        Assert.Equal(created.Id, updated.Id);
        Assert.Equal(updated, await h.Service.GetEvent(new GetEventRequest { Id = created.Id }, Context()).Bounded());
    }

    [Fact]
    public async Task UpdateEvent_MaskFromRestBody_ChangesOnlyMaskedPathsAndIgnoresId()
    {
        using var h = await StartAsync();
        var created = await h.CreateAsync(r => r.Attributes.Owner = "platform-team");
        var mask = new FieldMask();
        mask.Paths.Add(["id", "attributes.status"]);

        var updated = await h.Service.UpdateEvent(
            new UpdateEventRequest
            {
                Id = created.Id,
                Title = "not in the mask",
                Attributes = new EventAttributes { Status = Status.Failure, Owner = "not in the mask" },
                UpdateMask = mask,
            },
            Context()).Bounded();

        Assert.Equal(Status.Failure, updated.Attributes.Status);
        Assert.Equal(created.Title, updated.Title);
        Assert.Equal("platform-team", updated.Attributes.Owner);
    }

    [Fact]
    public async Task UpdateEvent_MaskPathWithoutValue_ClearsTheFieldAndDuration()
    {
        using var h = await StartAsync();
        var created = await h.CreateAsync(r => (r.Attributes.Owner, r.Attributes.StartDate, r.Attributes.EndDate) = ("ops", TenOClock, FiveMinutesPast));
        var mask = new FieldMask();
        mask.Paths.Add(["attributes.owner", "attributes.end_date"]);

        var updated = await h.Service.UpdateEvent(new UpdateEventRequest { Id = created.Id, UpdateMask = mask }, Context()).Bounded();

        Assert.Equal(string.Empty, updated.Attributes.Owner);
        Assert.Null(updated.Attributes.EndDate);
        Assert.Null(updated.Duration);
    }

    [Fact]
    public async Task UpdateEvent_UnknownMaskPath_InvalidArgumentOnUpdateMask()
    {
        using var h = await StartAsync();
        var created = await h.CreateAsync();
        var mask = new FieldMask();
        mask.Paths.Add("attributes.colour");

        var fields = await RpcAssert.InvalidAsync(() => h.Service.UpdateEvent(new UpdateEventRequest { Id = created.Id, UpdateMask = mask }, Context()));

        Assert.Equal(["update_mask"], fields);
    }

    [Fact]
    public async Task UpdateEvent_MergedEventInvalid_InvalidArgumentAndEventUnchanged()
    {
        using var h = await StartAsync();
        var created = await h.CreateAsync(r => r.Attributes.StartDate = TenOClock);
        var mask = new FieldMask();
        mask.Paths.Add(["attributes.service", "attributes.end_date"]);

        var fields = await RpcAssert.InvalidAsync(() => h.Service.UpdateEvent(
            new UpdateEventRequest
            {
                Id = created.Id,
                Attributes = new EventAttributes { EndDate = Timestamp.FromDateTimeOffset(TenOClock.ToDateTimeOffset().AddDays(-1)) },
                UpdateMask = mask,
            },
            Context()));

        Assert.Equal(["attributes.service", "attributes.end_date"], fields);
        Assert.Equal(created, await h.Service.GetEvent(new GetEventRequest { Id = created.Id }, Context()).Bounded());
    }

    [Fact]
    public async Task UpdateEvent_MatchingEtag_Applies()
    {
        using var h = await StartAsync();
        var created = await h.CreateAsync();

        var updated = await h.Service.UpdateEvent(new UpdateEventRequest { Id = created.Id, Etag = created.Etag, Title = "renamed" }, Context()).Bounded();

        Assert.Equal("renamed", updated.Title);
    }

    [Fact]
    public async Task UpdateEvent_StaleEtag_AbortedAndEventUnchanged()
    {
        using var h = await StartAsync();
        var created = await h.CreateAsync();
        var second = await h.Service.UpdateEvent(new UpdateEventRequest { Id = created.Id, Title = "second" }, Context()).Bounded();

        await RpcAssert.ThrowsAsync(StatusCode.Aborted, () => h.Service.UpdateEvent(new UpdateEventRequest { Id = created.Id, Etag = created.Etag, Title = "stale" }, Context()));

        Assert.Equal(second, await h.Service.GetEvent(new GetEventRequest { Id = created.Id }, Context()).Bounded());
    }

    [Fact]
    public async Task UpdateEvent_UnknownId_NotFound()
    {
        using var h = await StartAsync();

        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => h.Service.UpdateEvent(new UpdateEventRequest { Id = "507f1f77bcf86cd799439011", Title = "x" }, Context()));
    }

    [Fact]
    public async Task UpdateEvent_EtagOver128CharsAndBadMask_ReportsBoth()
    {
        using var h = await StartAsync();
        var created = await h.CreateAsync();
        var mask = new FieldMask();
        mask.Paths.Add("colour");

        var fields = await RpcAssert.InvalidAsync(() => h.Service.UpdateEvent(new UpdateEventRequest { Id = created.Id, Etag = new string('e', 129), UpdateMask = mask }, Context()));

        Assert.Equal(["etag", "update_mask"], fields);
    }

    [Fact]
    public async Task UpdateEvent_EmptyId_InvalidArgumentOnId()
    {
        using var h = await StartAsync();

        Assert.Equal(["id"], await RpcAssert.InvalidAsync(() => h.Service.UpdateEvent(new UpdateEventRequest { Title = "x" }, Context())));
    }

    [Fact]
    public async Task UpdateEvent_RelatedIdNamingItself_InvalidArgumentOnRelatedId()
    {
        using var h = await StartAsync();
        var created = await h.CreateAsync();

        var fields = await RpcAssert.InvalidAsync(() => h.Service.UpdateEvent(
            new UpdateEventRequest { Id = created.Id, Attributes = new EventAttributes { RelatedId = created.Id } },
            Context()));

        Assert.Equal(["attributes.related_id"], fields);
    }

    [Fact]
    public async Task UpdateEvent_RelatedEventDeletedMeanwhile_EventStaysEditable()
    {
        using var h = await StartAsync();
        var deployment = await h.CreateAsync();
        var rollback = await h.CreateAsync(r => r.Attributes.RelatedId = deployment.Id);
        await h.Service.DeleteEvent(new DeleteEventRequest { Id = deployment.Id }, Context()).Bounded();

        var updated = await h.Service.UpdateEvent(new UpdateEventRequest { Id = rollback.Id, Attributes = new EventAttributes { Status = Status.Done } }, Context()).Bounded();

        Assert.Equal(Status.Done, updated.Attributes.Status);
        Assert.Equal(deployment.Id, updated.Attributes.RelatedId);
    }

    [Fact]
    public async Task UpdateEvent_50ConcurrentWithTheSameEtag_OneAppliesAndTheRestAreAborted()
    {
        using var h = await StartAsync();
        var created = await h.CreateAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            try
            {
                var updated = await h.Service.UpdateEvent(new UpdateEventRequest { Id = created.Id, Etag = created.Etag, Title = $"writer {i}" }, Context());
                return (Code: StatusCode.OK, Event: updated);
            }
            catch (RpcException e)
            {
                return (Code: e.StatusCode, Event: (Event?)null);
            }
        }))).Bounded();

        var winner = Assert.Single(outcomes, o => o.Code == StatusCode.OK).Event;
        Assert.Equal(49, outcomes.Count(o => o.Code == StatusCode.Aborted));
        Assert.Equal(winner, await h.Service.GetEvent(new GetEventRequest { Id = created.Id }, Context()).Bounded());
    }

    [Fact]
    public async Task UpdateEvent_ConcurrentWithoutEtag_EveryUpdateApplies()
    {
        using var h = await StartAsync();
        var created = await h.CreateAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            h.Service.UpdateEvent(new UpdateEventRequest { Id = created.Id, Title = $"writer {i}" }, Context())))).Bounded();

        Assert.Equal(8, results.Select(r => r.Etag).Distinct().Count());
        var final = await h.Service.GetEvent(new GetEventRequest { Id = created.Id }, Context()).Bounded();
        Assert.Contains(final, results);
    }
}
