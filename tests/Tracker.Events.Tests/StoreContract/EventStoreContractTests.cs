using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Tests.Support;
using Xunit;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Tests.StoreContract;

/// <summary>
/// What every IEventStore must do, run against each implementation by deriving from this class
/// (SQLite, PostgreSQL). Nothing here knows a database: events go in and come out through the
/// port only. Ids compare ordinally (byte order) as the keyset tie-break; the ids used here are
/// lowercase UUID strings, which sort the same under any collation.
/// </summary>
public abstract class EventStoreContractTests
{
    private static readonly DateTimeOffset BaseTime = new(2024, 1, 15, 10, 0, 0, TimeSpan.Zero);
    private int _sequence;

    /// <summary>A new, migrated, empty store, private to the calling test.</summary>
    protected abstract Task<IEventStore> CreateStoreAsync();

    public static TheoryData<EventField, bool> EveryOrder => new()
    {
        { EventField.CreatedAt, false },
        { EventField.CreatedAt, true },
        { EventField.StartDate, false },
        { EventField.StartDate, true },
        { EventField.Priority, false },
        { EventField.Priority, true },
    };

    // ---- create, get, migrate ------------------------------------------------------------

    [Fact]
    public async Task CreateAsync_EventWithEveryField_GetAsyncReturnsAnEqualEvent()
    {
        var store = await CreateStoreAsync().Bounded();
        var e = NewEvent(a =>
        {
            a.Message = "Deployed via GitHub Actions ✓";
            a.Source = "github_actions";
            a.Priority = Priority.P2;
            a.RelatedId = Guid.NewGuid().ToString();
            a.Status = Status.Success;
            a.Environment = Api.V1Alpha1.Environment.Production;
            a.Impact = Impact.Medium;
            a.StartDate = Timestamp.FromDateTimeOffset(BaseTime.AddTicks(1234560));
            a.EndDate = Timestamp.FromDateTimeOffset(BaseTime.AddMinutes(5));
            a.Owner = "platform-team";
            a.StakeHolders.Add(["backend-team", "ops-team"]);
            a.Notification = true;
            a.Notifications.Add(["slack", "email"]);
            a.Severity = Severity.Warning;
            a.Reason = "QuotaExceeded";
            a.Code = 9001;
            a.Resources.Add(new ResourceRef { Kind = "Pod", Id = "uid-1", Name = "api-7d9", Namespace = "prod" });
            a.Labels.Add("team", "core");
        });
        e.Links = new EventLinks { PullRequestLink = "https://github.com/org/repo/pull/123", Ticket = "PROJ-456" };
        e.Duration = e.Attributes.EndDate - e.Attributes.StartDate;

        var created = await store.CreateAsync(e, "request-1", CancellationToken.None).Bounded();
        var read = await store.GetAsync(e.Id, CancellationToken.None).Bounded();

        Assert.Equal(e, created);
        Assert.Equal(e, read);
    }

    [Fact]
    public async Task GetAsync_UnknownId_ReturnsNull()
    {
        var store = await CreateStoreAsync().Bounded();
        await store.CreateAsync(NewEvent(), null, CancellationToken.None).Bounded();

        Assert.Null(await store.GetAsync(Guid.CreateVersion7().ToString(), CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task MigrateAsync_RunAgain_KeepsEvents()
    {
        var store = await CreateStoreAsync().Bounded();
        var e = NewEvent();
        await store.CreateAsync(e, null, CancellationToken.None).Bounded();

        await store.MigrateAsync(CancellationToken.None).Bounded();
        await store.MigrateAsync(CancellationToken.None).Bounded();

        Assert.Equal(e, await store.GetAsync(e.Id, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task IsReachableAsync_MigratedStore_ReturnsTrue()
    {
        var store = await CreateStoreAsync().Bounded();

        Assert.True(await store.IsReachableAsync(CancellationToken.None).Bounded());
    }

    // ---- request_id idempotency -----------------------------------------------------------

    [Fact]
    public async Task CreateAsync_RepeatedRequestId_ReturnsFirstEventAndStoresNothingNew()
    {
        var store = await CreateStoreAsync().Bounded();
        var first = NewEvent(title: "first");
        var second = NewEvent(title: "second");

        await store.CreateAsync(first, "deploy-42", CancellationToken.None).Bounded();
        var repeat = await store.CreateAsync(second, "deploy-42", CancellationToken.None).Bounded();

        Assert.Equal(first, repeat);
        Assert.Null(await store.GetAsync(second.Id, CancellationToken.None).Bounded());
        Assert.Equal(1, (await QueryAllAsync(store)).TotalCount);
    }

    [Fact]
    public async Task CreateAsync_DistinctRequestIds_StoresEach()
    {
        var store = await CreateStoreAsync().Bounded();

        await store.CreateAsync(NewEvent(), "a", CancellationToken.None).Bounded();
        await store.CreateAsync(NewEvent(), "b", CancellationToken.None).Bounded();

        Assert.Equal(2, (await QueryAllAsync(store)).TotalCount);
    }

    [Fact]
    public async Task CreateAsync_WithoutRequestId_StoresEach()
    {
        var store = await CreateStoreAsync().Bounded();

        await store.CreateAsync(NewEvent(), null, CancellationToken.None).Bounded();
        await store.CreateAsync(NewEvent(), null, CancellationToken.None).Bounded();

        Assert.Equal(2, (await QueryAllAsync(store)).TotalCount);
    }

    [Fact]
    public async Task CreateAsync_ConcurrentRepeatsOfOneRequestId_StoreOneEventAndReturnItToAll()
    {
        var store = await CreateStoreAsync().Bounded();
        var attempts = Enumerable.Range(0, 50).Select(i => NewEvent(title: $"attempt {i}")).ToArray();

        var results = await Task.WhenAll(attempts.Select(e => Task.Run(() => store.CreateAsync(e, "same-request", CancellationToken.None)))).Bounded();

        var stored = Assert.Single((await QueryAllAsync(store)).Events);
        Assert.All(results, r => Assert.Equal(stored, r));
    }

    // ---- replace ----------------------------------------------------------------------------

    [Fact]
    public async Task ReplaceAsync_MatchingEtag_StoresNewVersionAndReturnsTrue()
    {
        var store = await CreateStoreAsync().Bounded();
        var e = NewEvent();
        await store.CreateAsync(e, null, CancellationToken.None).Bounded();
        var updated = NextVersion(e, v => v.Title = "changed");

        var replaced = await store.ReplaceAsync(updated, e.Etag, CancellationToken.None).Bounded();

        Assert.True(replaced);
        Assert.Equal(updated, await store.GetAsync(e.Id, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task ReplaceAsync_StaleEtag_ReturnsFalseAndKeepsStoredVersion()
    {
        var store = await CreateStoreAsync().Bounded();
        var e = NewEvent();
        await store.CreateAsync(e, null, CancellationToken.None).Bounded();
        var v2 = NextVersion(e, v => v.Title = "second");
        await store.ReplaceAsync(v2, e.Etag, CancellationToken.None).Bounded();

        var replaced = await store.ReplaceAsync(NextVersion(e, v => v.Title = "stale"), e.Etag, CancellationToken.None).Bounded();

        Assert.False(replaced);
        Assert.Equal(v2, await store.GetAsync(e.Id, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task ReplaceAsync_UnknownId_ReturnsFalseAndStoresNothing()
    {
        var store = await CreateStoreAsync().Bounded();
        var ghost = NewEvent();

        var replaced = await store.ReplaceAsync(ghost, ghost.Etag, CancellationToken.None).Bounded();

        Assert.False(replaced);
        Assert.Equal(0, (await QueryAllAsync(store)).TotalCount);
    }

    [Fact]
    public async Task ReplaceAsync_ChangedIndexedFields_QueriesSeeNewValues()
    {
        var store = await CreateStoreAsync().Bounded();
        var e = NewEvent(a => a.Service = "old-service");
        await store.CreateAsync(e, null, CancellationToken.None).Bounded();
        var newStart = BaseTime.AddDays(10);
        var updated = NextVersion(e, v =>
        {
            v.Attributes.Service = "new-service";
            v.Attributes.Priority = Priority.P1;
            v.Attributes.StartDate = Timestamp.FromDateTimeOffset(newStart);
        });

        await store.ReplaceAsync(updated, e.Etag, CancellationToken.None).Bounded();

        Assert.Equal(0, (await QueryAllAsync(store, new EventFilter { Service = "old-service" })).TotalCount);
        Assert.Equal(1, (await QueryAllAsync(store, new EventFilter { Service = "new-service", Priority = Priority.P1 })).TotalCount);
        Assert.Equal(1, (await QueryAllAsync(store, new EventFilter { From = newStart, To = newStart })).TotalCount);
    }

    [Fact]
    public async Task ReplaceAsync_50ConcurrentWithSameExpectedEtag_ExactlyOneWins()
    {
        var store = await CreateStoreAsync().Bounded();
        var e = NewEvent();
        await store.CreateAsync(e, null, CancellationToken.None).Bounded();
        var versions = Enumerable.Range(0, 50).Select(i => NextVersion(e, v => v.Title = $"writer {i}")).ToArray();

        var results = await Task.WhenAll(versions.Select(v => Task.Run(() => store.ReplaceAsync(v, e.Etag, CancellationToken.None)))).Bounded();

        Assert.Single(results, r => r);
        var winner = versions[Array.IndexOf(results, true)];
        Assert.Equal(winner, await store.GetAsync(e.Id, CancellationToken.None).Bounded());
    }

    // ---- delete -------------------------------------------------------------------------------

    [Fact]
    public async Task DeleteAsync_ExistingWithoutEtag_DeletesIt()
    {
        var store = await CreateStoreAsync().Bounded();
        var e = NewEvent();
        var other = NewEvent();
        await store.CreateAsync(e, null, CancellationToken.None).Bounded();
        await store.CreateAsync(other, null, CancellationToken.None).Bounded();

        var outcome = await store.DeleteAsync(e.Id, null, CancellationToken.None).Bounded();

        Assert.Equal(DeleteOutcome.Deleted, outcome);
        Assert.Null(await store.GetAsync(e.Id, CancellationToken.None).Bounded());
        Assert.Equal(other, await store.GetAsync(other.Id, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task DeleteAsync_MatchingEtag_DeletesIt()
    {
        var store = await CreateStoreAsync().Bounded();
        var e = NewEvent();
        await store.CreateAsync(e, null, CancellationToken.None).Bounded();

        var outcome = await store.DeleteAsync(e.Id, e.Etag, CancellationToken.None).Bounded();

        Assert.Equal(DeleteOutcome.Deleted, outcome);
        Assert.Null(await store.GetAsync(e.Id, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task DeleteAsync_StaleEtag_ReturnsEtagMismatchAndKeepsEvent()
    {
        var store = await CreateStoreAsync().Bounded();
        var e = NewEvent();
        await store.CreateAsync(e, null, CancellationToken.None).Bounded();

        var outcome = await store.DeleteAsync(e.Id, "not-the-etag", CancellationToken.None).Bounded();

        Assert.Equal(DeleteOutcome.EtagMismatch, outcome);
        Assert.Equal(e, await store.GetAsync(e.Id, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task DeleteAsync_UnknownId_ReturnsNotFound()
    {
        var store = await CreateStoreAsync().Bounded();

        Assert.Equal(DeleteOutcome.NotFound, await store.DeleteAsync(Guid.CreateVersion7().ToString(), null, CancellationToken.None).Bounded());
        Assert.Equal(DeleteOutcome.NotFound, await store.DeleteAsync(Guid.CreateVersion7().ToString(), "any-etag", CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task DeleteAsync_Twice_SecondReturnsNotFound()
    {
        var store = await CreateStoreAsync().Bounded();
        var e = NewEvent();
        await store.CreateAsync(e, null, CancellationToken.None).Bounded();

        await store.DeleteAsync(e.Id, null, CancellationToken.None).Bounded();

        Assert.Equal(DeleteOutcome.NotFound, await store.DeleteAsync(e.Id, null, CancellationToken.None).Bounded());
        Assert.Equal(0, (await QueryAllAsync(store)).TotalCount);
    }

    // ---- filters ------------------------------------------------------------------------------

    [Fact]
    public Task QueryAsync_SourceFilter_ReturnsOnlyThatSource() =>
        AssertFilterSelectsAsync(new EventFilter { Source = "jenkins" }, a => a.Source = "jenkins", a => a.Source = "github_actions");

    [Fact]
    public Task QueryAsync_TypeFilter_ReturnsOnlyThatType() =>
        AssertFilterSelectsAsync(new EventFilter { Type = Type.Incident }, a => a.Type = Type.Incident, a => a.Type = Type.Drift);

    [Fact]
    public Task QueryAsync_PriorityFilter_ReturnsOnlyThatPriority() =>
        AssertFilterSelectsAsync(new EventFilter { Priority = Priority.P1 }, a => a.Priority = Priority.P1, a => a.Priority = Priority.P2);

    [Fact]
    public Task QueryAsync_StatusFilter_ReturnsOnlyThatStatus() =>
        AssertFilterSelectsAsync(new EventFilter { Status = Status.Failure }, a => a.Status = Status.Failure, a => a.Status = Status.Success);

    [Fact]
    public Task QueryAsync_ServiceFilter_ReturnsOnlyThatService() =>
        AssertFilterSelectsAsync(new EventFilter { Service = "billing" }, a => a.Service = "billing", a => a.Service = "payments");

    [Fact]
    public Task QueryAsync_EnvironmentFilter_ReturnsOnlyThatEnvironment() =>
        AssertFilterSelectsAsync(
            new EventFilter { Environment = Api.V1Alpha1.Environment.Production },
            a => a.Environment = Api.V1Alpha1.Environment.Production,
            a => a.Environment = Api.V1Alpha1.Environment.Uat);

    [Fact]
    public Task QueryAsync_ImpactFilter_ReturnsOnlyThatImpact() =>
        AssertFilterSelectsAsync(new EventFilter { Impact = Impact.High }, a => a.Impact = Impact.High, a => a.Impact = Impact.Low);

    [Fact]
    public Task QueryAsync_OwnerFilter_ReturnsOnlyThatOwner() =>
        AssertFilterSelectsAsync(new EventFilter { Owner = "ops-team" }, a => a.Owner = "ops-team", a => a.Owner = "dev-team");

    [Fact]
    public Task QueryAsync_TextFilter_MatchesWholeValueWithCase() =>
        AssertFilterSelectsAsync(
            new EventFilter { Service = "api" },
            a => a.Service = "api",
            a => a.Service = "API",
            a => a.Service = "api-gateway",
            a => a.Service = "ap");

    [Fact]
    public Task QueryAsync_SeveralFilters_ReturnsEventsMatchingAll() =>
        AssertFilterSelectsAsync(
            new EventFilter { Service = "billing", Type = Type.Deployment, Environment = Api.V1Alpha1.Environment.Production },
            a => (a.Service, a.Type, a.Environment) = ("billing", Type.Deployment, Api.V1Alpha1.Environment.Production),
            a => (a.Service, a.Type, a.Environment) = ("billing", Type.Incident, Api.V1Alpha1.Environment.Production),
            a => (a.Service, a.Type, a.Environment) = ("billing", Type.Deployment, Api.V1Alpha1.Environment.Uat),
            a => (a.Service, a.Type, a.Environment) = ("payments", Type.Deployment, Api.V1Alpha1.Environment.Production));

    [Fact]
    public async Task QueryAsync_NoFilter_ReturnsEveryEvent()
    {
        var store = await CreateStoreAsync().Bounded();
        var events = await CreateManyAsync(store, 5);

        var page = await QueryAllAsync(store);

        Assert.Equal(5, page.TotalCount);
        Assert.Equal(Ids(events).Order(StringComparer.Ordinal), Ids(page.Events).Order(StringComparer.Ordinal));
    }

    // ---- event time bounds ----------------------------------------------------------------------

    [Fact]
    public async Task QueryAsync_FromAndTo_IncludeBothBoundsToTheMicrosecond()
    {
        var store = await CreateStoreAsync().Bounded();
        var from = BaseTime.AddDays(1);
        var to = BaseTime.AddDays(2);
        var before = await CreateAtStartAsync(store, from.AddTicks(-10));
        var atFrom = await CreateAtStartAsync(store, from);
        var inside = await CreateAtStartAsync(store, from.AddHours(5));
        var atTo = await CreateAtStartAsync(store, to);
        var after = await CreateAtStartAsync(store, to.AddTicks(10));

        var page = await QueryAllAsync(store, new EventFilter { From = from, To = to });

        Assert.Equal(Sorted(atFrom, inside, atTo), Sorted(page.Events));
        Assert.Equal(3, page.TotalCount);
        Assert.DoesNotContain(before.Id, Ids(page.Events));
        Assert.DoesNotContain(after.Id, Ids(page.Events));
    }

    [Fact]
    public async Task QueryAsync_FromOnly_ReturnsEventsAtOrAfter()
    {
        var store = await CreateStoreAsync().Bounded();
        var from = BaseTime.AddDays(1);
        await CreateAtStartAsync(store, from.AddSeconds(-1));
        var atFrom = await CreateAtStartAsync(store, from);
        var later = await CreateAtStartAsync(store, from.AddYears(3));

        var page = await QueryAllAsync(store, new EventFilter { From = from });

        Assert.Equal(Sorted(atFrom, later), Sorted(page.Events));
    }

    [Fact]
    public async Task QueryAsync_ToOnly_ReturnsEventsAtOrBefore()
    {
        var store = await CreateStoreAsync().Bounded();
        var to = BaseTime.AddDays(1);
        var earlier = await CreateAtStartAsync(store, to.AddYears(-3));
        var atTo = await CreateAtStartAsync(store, to);
        await CreateAtStartAsync(store, to.AddSeconds(1));

        var page = await QueryAllAsync(store, new EventFilter { To = to });

        Assert.Equal(Sorted(earlier, atTo), Sorted(page.Events));
    }

    [Fact]
    public async Task QueryAsync_EventWithoutStartDate_IsPlacedByCreatedAt()
    {
        var store = await CreateStoreAsync().Bounded();
        var day = BaseTime.AddDays(3);
        var createdThatDay = NewEvent(createdAt: day.AddHours(2));
        var createdDayBefore = NewEvent(createdAt: day.AddHours(-2));
        await store.CreateAsync(createdThatDay, null, CancellationToken.None).Bounded();
        await store.CreateAsync(createdDayBefore, null, CancellationToken.None).Bounded();

        var page = await QueryAllAsync(store, new EventFilter { From = day, To = day.AddDays(1) });

        Assert.Equal([createdThatDay.Id], Ids(page.Events));
    }

    [Fact]
    public async Task QueryAsync_EventWithStartDate_IsPlacedByStartDateNotCreatedAt()
    {
        var store = await CreateStoreAsync().Bounded();
        var day = BaseTime.AddDays(3);
        var startsThatDay = NewEvent(a => a.StartDate = Timestamp.FromDateTimeOffset(day.AddHours(1)), createdAt: day.AddDays(-30));
        var createdThatDayStartedBefore = NewEvent(a => a.StartDate = Timestamp.FromDateTimeOffset(day.AddDays(-30)), createdAt: day.AddHours(1));
        await store.CreateAsync(startsThatDay, null, CancellationToken.None).Bounded();
        await store.CreateAsync(createdThatDayStartedBefore, null, CancellationToken.None).Bounded();

        var page = await QueryAllAsync(store, new EventFilter { From = day, To = day.AddDays(1) });

        Assert.Equal([startsThatDay.Id], Ids(page.Events));
    }

    // ---- offset paging ----------------------------------------------------------------------------

    [Fact]
    public async Task QueryAsync_LimitAndOffset_ReturnThatSliceWithExactTotal()
    {
        var store = await CreateStoreAsync().Bounded();
        var events = await CreateManyAsync(store, 7);
        var newestFirst = events.OrderByDescending(e => EventKeys.CreatedAtMicros(e)).ThenByDescending(e => e.Id, StringComparer.Ordinal).ToArray();

        var page = await store.QueryAsync(new EventQuery(EventCriteria.All, EventOrder.NewestFirst, Limit: 3, Offset: 3), CancellationToken.None).Bounded();

        Assert.Equal(Ids(newestFirst.Skip(3).Take(3)), Ids(page.Events));
        Assert.Equal(7, page.TotalCount);
    }

    [Fact]
    public async Task QueryAsync_OffsetPastTheEnd_ReturnsNoEventsAndTheTotal()
    {
        var store = await CreateStoreAsync().Bounded();
        await CreateManyAsync(store, 4);

        var page = await store.QueryAsync(new EventQuery(EventCriteria.All, EventOrder.NewestFirst, Limit: 10, Offset: 10), CancellationToken.None).Bounded();

        Assert.Empty(page.Events);
        Assert.Equal(4, page.TotalCount);
    }

    [Fact]
    public async Task QueryAsync_FilterAndLimit_TotalCountsEveryMatchNotThePage()
    {
        var store = await CreateStoreAsync().Bounded();
        for (var i = 0; i < 6; i++)
        {
            await store.CreateAsync(NewEvent(a => a.Service = i % 2 == 0 ? "even" : "odd"), null, CancellationToken.None).Bounded();
        }

        var page = await store.QueryAsync(new EventQuery(new EventFilter { Service = "even" }.ToCriteria(), EventOrder.NewestFirst, Limit: 2), CancellationToken.None).Bounded();

        Assert.Equal(2, page.Events.Count);
        Assert.Equal(3, page.TotalCount);
        Assert.All(page.Events, e => Assert.Equal("even", e.Attributes.Service));
    }

    // ---- order and keyset paging ------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(EveryOrder))]
    public async Task QueryAsync_Order_SortsByKeyThenIdInTheSameDirection(EventField field, bool descending)
    {
        var store = await CreateStoreAsync().Bounded();
        var events = await CreateWithTiesAsync(store);
        var order = Orders.By(field, descending);

        var page = await store.QueryAsync(new EventQuery(EventCriteria.All, order, Limit: 100), CancellationToken.None).Bounded();

        Assert.Equal(Ids(Expected(events, order)), Ids(page.Events));
    }

    [Theory]
    [MemberData(nameof(EveryOrder))]
    public async Task QueryAsync_KeysetWalk_YieldsEveryEventOnceInOrder(EventField field, bool descending)
    {
        var store = await CreateStoreAsync().Bounded();
        var events = await CreateWithTiesAsync(store);
        var order = Orders.By(field, descending);

        var walked = await WalkAsync(store, EventFilter.None, order, pageSize: 4);

        Assert.Equal(Ids(Expected(events, order)), Ids(walked));
    }

    [Fact]
    public async Task QueryAsync_KeysetPages_ReportTheTotalOfTheWholeQuery()
    {
        var store = await CreateStoreAsync().Bounded();
        var events = await CreateManyAsync(store, 5);
        var after = Orders.After(events[2], EventOrder.NewestFirst);

        var page = await store.QueryAsync(new EventQuery(EventCriteria.All, EventOrder.NewestFirst, Limit: 10, After: after), CancellationToken.None).Bounded();

        Assert.Equal(5, page.TotalCount);
        Assert.Equal([events[1].Id, events[0].Id], Ids(page.Events));
    }

    [Fact]
    public async Task QueryAsync_KeysetWalkWithFilter_StaysWithinTheFilter()
    {
        var store = await CreateStoreAsync().Bounded();
        var kept = new List<Event>();
        for (var i = 0; i < 12; i++)
        {
            var e = NewEvent(a => a.Owner = i % 3 == 0 ? "ops" : "dev");
            await store.CreateAsync(e, null, CancellationToken.None).Bounded();
            if (e.Attributes.Owner == "ops")
            {
                kept.Add(e);
            }
        }

        var order = Orders.By(EventField.CreatedAt, descending: false);
        var walked = await WalkAsync(store, new EventFilter { Owner = "ops" }, order, pageSize: 1);

        Assert.Equal(Ids(Expected(kept, order)), Ids(walked));
    }

    [Fact]
    public async Task QueryAsync_KeysetWalkWhileEventsAreAdded_YieldsEveryPreexistingEventOnce()
    {
        var store = await CreateStoreAsync().Bounded();
        var preexisting = await CreateWithTiesAsync(store);
        var seen = new List<Event>();
        EventCursor? after = null;
        var order = EventOrder.NewestFirst;
        var added = 0;
        while (true)
        {
            var page = await store.QueryAsync(new EventQuery(EventCriteria.All, order, Limit: 3, After: after), CancellationToken.None).Bounded();
            seen.AddRange(page.Events);
            if (page.Events.Count < 3)
            {
                break;
            }

            after = Orders.After(page.Events[^1], order);

            // New events land on both sides of the cursor: newer ones and ones tied with it.
            await store.CreateAsync(NewEvent(createdAt: BaseTime.AddYears(1).AddSeconds(added++)), null, CancellationToken.None).Bounded();
            await store.CreateAsync(NewEvent(createdAt: page.Events[^1].CreatedAt.ToDateTimeOffset()), null, CancellationToken.None).Bounded();
        }

        var preexistingIds = Ids(preexisting).ToHashSet();
        var seenPreexisting = Ids(seen).Where(preexistingIds.Contains).ToArray();
        Assert.Equal(preexistingIds.Order(StringComparer.Ordinal), seenPreexisting.Order(StringComparer.Ordinal));
        Assert.Equal(seen.Count, Ids(seen).Distinct().Count());
    }

    // ---- concurrency --------------------------------------------------------------------------------

    [Fact]
    public async Task CreateAsync_200Concurrent_StoresEveryEventOnce()
    {
        var store = await CreateStoreAsync().Bounded();
        var events = Enumerable.Range(0, 200).Select(i => NewEvent(title: $"concurrent {i}")).ToArray();

        var results = await Task.WhenAll(events.Select(e => Task.Run(() => store.CreateAsync(e, $"request-{e.Id}", CancellationToken.None)))).Bounded();

        var page = await store.QueryAsync(new EventQuery(EventCriteria.All, EventOrder.NewestFirst, Limit: 1000), CancellationToken.None).Bounded();
        Assert.Equal(200, page.TotalCount);
        Assert.Equal(Ids(events).Order(StringComparer.Ordinal), Ids(page.Events).Order(StringComparer.Ordinal));
        Assert.Equal(Ids(events), Ids(results));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /// <summary>A valid event as the domain would hand it to a store: id, timestamps and etag set.</summary>
    // ---- the change log and folding ------------------------------------------------------------

    [Fact]
    public async Task ReadChangesAsync_CreateUpdateDelete_OneChangeEachAtIncreasingPositions()
    {
        var store = await CreateStoreAsync().Bounded();
        var e = NewEvent();
        await store.CreateAsync(e, null, CancellationToken.None).Bounded();
        var created = (await store.FindSequenceAsync(e.Id, CancellationToken.None).Bounded())!.Value;
        var updated = NextVersion(e, x => x.Title = "renamed");
        Assert.True(await store.ReplaceAsync(updated, e.Etag, CancellationToken.None).Bounded());
        Assert.Equal(DeleteOutcome.Deleted, await store.DeleteAsync(e.Id, null, CancellationToken.None).Bounded());

        var changes = await store.ReadChangesAsync(0, 100, CancellationToken.None).Bounded();

        Assert.Equal([ChangeType.Created, ChangeType.Updated, ChangeType.Deleted], changes.Select(c => c.Type));
        Assert.Equal(created, changes[0].Sequence);
        Assert.True(changes[0].Sequence < changes[1].Sequence && changes[1].Sequence < changes[2].Sequence);
        Assert.Equal(e, changes[0].Decode());
        Assert.Equal(updated, changes[1].Decode());
        Assert.Equal(updated, changes[2].Decode());
        Assert.Equal([null, e, null], changes.Select(c => c.DecodePrevious()));
        Assert.All(changes, c => Assert.InRange(c.ChangedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5)));
        Assert.Equal(new ChangeLogBounds(changes[2].Sequence, 0), await store.GetChangeLogBoundsAsync(CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task ReadChangesAsync_AfterAPositionWithALimit_ThePagesFollowingIt()
    {
        var store = await CreateStoreAsync().Bounded();
        var events = Enumerable.Range(0, 5).Select(_ => NewEvent()).ToList();
        foreach (var e in events)
        {
            await store.CreateAsync(e, null, CancellationToken.None).Bounded();
        }

        var all = await store.ReadChangesAsync(0, 100, CancellationToken.None).Bounded();
        var page = await store.ReadChangesAsync(all[1].Sequence, 2, CancellationToken.None).Bounded();

        Assert.Equal(events.Select(e => e.Id), all.Select(c => c.Decode().Id));
        Assert.Equal([all[2].Sequence, all[3].Sequence], page.Select(c => c.Sequence));
    }

    [Fact]
    public async Task ReadChangesAsync_ConcurrentCreatesAndUpdates_EveryWriteOnceAtItsOwnPosition()
    {
        var store = await CreateStoreAsync().Bounded();
        var events = Enumerable.Range(0, 40).Select(_ => NewEvent()).ToList();
        await Task.WhenAll(events.Select(e => Task.Run(() => store.CreateAsync(e, null, CancellationToken.None)))).Bounded();
        await Task.WhenAll(events.Select(e => Task.Run(() => store.ReplaceAsync(NextVersion(e, x => x.Title = "again"), e.Etag, CancellationToken.None)))).Bounded();

        var changes = await store.ReadChangesAsync(0, 1000, CancellationToken.None).Bounded();

        Assert.Equal(80, changes.Count);
        Assert.Equal(changes.Select(c => c.Sequence).Distinct().Order(), changes.Select(c => c.Sequence));
        Assert.All(events, e => Assert.Equal(
            [ChangeType.Created, ChangeType.Updated],
            changes.Where(c => c.Decode().Id == e.Id).Select(c => c.Type)));
    }

    [Fact]
    public async Task PurgeChangesAsync_OlderThanTheCutoff_RemovesTheOldestInBatchesAndRecordsTheHorizon()
    {
        var store = await CreateStoreAsync().Bounded();
        for (var i = 0; i < 3; i++)
        {
            await store.CreateAsync(NewEvent(), null, CancellationToken.None).Bounded();
        }

        var changes = await store.ReadChangesAsync(0, 100, CancellationToken.None).Bounded();

        Assert.Equal(0, await store.PurgeChangesAsync(DateTimeOffset.UtcNow.AddHours(-1), 1000, CancellationToken.None).Bounded());
        Assert.Equal(2, await store.PurgeChangesAsync(DateTimeOffset.UtcNow.AddHours(1), 2, CancellationToken.None).Bounded());
        Assert.Equal(changes[1].Sequence, (await store.GetChangeLogBoundsAsync(CancellationToken.None).Bounded()).PurgedThrough);
        Assert.Equal(1, await store.PurgeChangesAsync(DateTimeOffset.UtcNow.AddHours(1), 2, CancellationToken.None).Bounded());
        Assert.Empty(await store.ReadChangesAsync(0, 100, CancellationToken.None).Bounded());
        Assert.Equal(new ChangeLogBounds(changes[2].Sequence, changes[2].Sequence), await store.GetChangeLogBoundsAsync(CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task CreateOrFoldAsync_100ConcurrentOccurrencesOfOneKey_OneEventWithCount100()
    {
        var store = await CreateStoreAsync().Bounded();
        var occurrences = Enumerable.Range(0, 100).Select(i => Occurrence("disk-full@db-1", BaseTime.AddMilliseconds(i))).ToList();

        var returned = await Task.WhenAll(occurrences.Select(o => Task.Run(() => store.CreateOrFoldAsync(o, null, TimeSpan.FromMinutes(5), CancellationToken.None)))).Bounded();

        var ids = returned.Select(e => e.Id).Distinct().ToList();
        var stored = await store.GetAsync(Assert.Single(ids), CancellationToken.None).Bounded();
        Assert.Equal(100, stored!.Count);
        Assert.Equal(stored.CreatedAt, stored.FirstSeenAt);
        Assert.Equal(occurrences.Max(o => o.CreatedAt), stored.LastSeenAt);
        Assert.Equal(100, returned.Max(e => e.Count));
        var changes = await store.ReadChangesAsync(0, 1000, CancellationToken.None).Bounded();
        Assert.Equal([ChangeType.Created, .. Enumerable.Repeat(ChangeType.Updated, 99)], changes.Select(c => c.Type));
    }

    [Fact]
    public async Task CreateOrFoldAsync_LastSeenOutsideTheWindow_CreatesANewEventThatLaterOnesFoldInto()
    {
        var store = await CreateStoreAsync().Bounded();
        var window = TimeSpan.FromSeconds(30);
        var first = await store.CreateOrFoldAsync(Occurrence("k", BaseTime), null, window, CancellationToken.None).Bounded();
        var folded = await store.CreateOrFoldAsync(Occurrence("k", BaseTime.AddSeconds(20)), null, window, CancellationToken.None).Bounded();

        // 20 s after the last sighting, not 20 s after the first: still within the window.
        var stillFolded = await store.CreateOrFoldAsync(Occurrence("k", BaseTime.AddSeconds(45)), null, window, CancellationToken.None).Bounded();
        var fresh = await store.CreateOrFoldAsync(Occurrence("k", BaseTime.AddSeconds(120)), null, window, CancellationToken.None).Bounded();
        var intoFresh = await store.CreateOrFoldAsync(Occurrence("k", BaseTime.AddSeconds(121)), null, window, CancellationToken.None).Bounded();
        var otherKey = await store.CreateOrFoldAsync(Occurrence("other", BaseTime.AddSeconds(121)), null, window, CancellationToken.None).Bounded();

        Assert.Equal(first.Id, folded.Id);
        Assert.Equal(first.Id, stillFolded.Id);
        Assert.Equal(3, stillFolded.Count);
        Assert.NotEqual(first.Id, fresh.Id);
        Assert.Equal(1, fresh.Count);
        Assert.Equal(fresh.Id, intoFresh.Id);
        Assert.Equal(2, intoFresh.Count);
        Assert.NotEqual(fresh.Id, otherKey.Id);
        Assert.Equal(3, (await store.GetAsync(first.Id, CancellationToken.None).Bounded())!.Count);
    }

    [Fact]
    public async Task CreateOrFoldAsync_RetriedRequestId_CountedOnce()
    {
        var store = await CreateStoreAsync().Bounded();
        var window = TimeSpan.FromMinutes(1);
        var first = await store.CreateOrFoldAsync(Occurrence("k", BaseTime), "request-a", window, CancellationToken.None).Bounded();
        var folded = await store.CreateOrFoldAsync(Occurrence("k", BaseTime.AddSeconds(1)), "request-b", window, CancellationToken.None).Bounded();
        var retriedFold = await store.CreateOrFoldAsync(Occurrence("k", BaseTime.AddSeconds(2)), "request-b", window, CancellationToken.None).Bounded();
        var retriedCreate = await store.CreateOrFoldAsync(Occurrence("k", BaseTime.AddSeconds(3)), "request-a", window, CancellationToken.None).Bounded();

        Assert.Equal(2, folded.Count);
        Assert.Equal(folded, retriedFold);
        Assert.Equal(folded, retriedCreate);
        Assert.Equal(first.Id, retriedCreate.Id);
        Assert.Equal(2, (await store.GetAsync(first.Id, CancellationToken.None).Bounded())!.Count);
    }

    [Fact]
    public async Task CreateOrFoldAsync_OneKeyTwoServices_EachServiceFoldsIntoItsOwnEvent()
    {
        var store = await CreateStoreAsync().Bounded();
        var window = TimeSpan.FromMinutes(1);
        Event Of(string service, int second)
        {
            var occurrence = Occurrence("shared", BaseTime.AddSeconds(second));
            occurrence.Attributes.Service = service;
            return occurrence;
        }

        var payments = await store.CreateOrFoldAsync(Of("payments", 0), null, window, CancellationToken.None).Bounded();
        var checkout = await store.CreateOrFoldAsync(Of("checkout", 1), null, window, CancellationToken.None).Bounded();
        var paymentsAgain = await store.CreateOrFoldAsync(Of("payments", 2), null, window, CancellationToken.None).Bounded();
        var checkoutAgain = await store.CreateOrFoldAsync(Of("checkout", 3), null, window, CancellationToken.None).Bounded();

        Assert.NotEqual(payments.Id, checkout.Id);
        Assert.Equal((payments.Id, 2), (paymentsAgain.Id, paymentsAgain.Count));
        Assert.Equal((checkout.Id, 2), (checkoutAgain.Id, checkoutAgain.Count));
    }

    /// <summary>An occurrence of a keyed event as the service stamps it: seen once, now.</summary>
    private Event Occurrence(string key, DateTimeOffset at)
    {
        var e = NewEvent(createdAt: at);
        e.AggregationKey = key;
        e.Count = 1;
        e.FirstSeenAt = e.CreatedAt;
        e.LastSeenAt = e.CreatedAt;
        return e;
    }

    protected Event NewEvent(Action<EventAttributes>? configure = null, DateTimeOffset? createdAt = null, string title = "event")
    {
        var created = createdAt ?? BaseTime.AddSeconds(Interlocked.Increment(ref _sequence));
        var timestamp = Timestamp.FromDateTimeOffset(created);
        var e = new Event
        {
            Title = title,
            Attributes = new EventAttributes { Type = Type.Deployment, Service = "user-service" },
            Id = Guid.CreateVersion7(created).ToString(),
            CreatedAt = timestamp,
            UpdatedAt = timestamp,
            Etag = Guid.NewGuid().ToString("N"),
        };
        configure?.Invoke(e.Attributes);
        return e;
    }

    private static Event NextVersion(Event current, Action<Event> change)
    {
        var next = current.Clone();
        change(next);
        next.Etag = Guid.NewGuid().ToString("N");
        next.UpdatedAt = Timestamp.FromDateTimeOffset(current.UpdatedAt.ToDateTimeOffset().AddSeconds(1));
        return next;
    }

    private async Task AssertFilterSelectsAsync(EventFilter filter, Action<EventAttributes> matching, params Action<EventAttributes>[] others)
    {
        var store = await CreateStoreAsync().Bounded();
        var expected = new List<Event>();
        for (var i = 0; i < 2; i++)
        {
            var e = NewEvent(matching);
            expected.Add(e);
            await store.CreateAsync(e, null, CancellationToken.None).Bounded();
        }

        foreach (var other in others)
        {
            await store.CreateAsync(NewEvent(other), null, CancellationToken.None).Bounded();
        }

        await store.CreateAsync(NewEvent(a => (a.Source, a.Owner) = ("", "")), null, CancellationToken.None).Bounded();

        var page = await QueryAllAsync(store, filter);

        Assert.Equal(Sorted(expected.ToArray()), Sorted(page.Events));
        Assert.Equal(2, page.TotalCount);
    }

    private async Task<Event> CreateAtStartAsync(IEventStore store, DateTimeOffset start)
    {
        var e = NewEvent(a => a.StartDate = Timestamp.FromDateTimeOffset(start));
        await store.CreateAsync(e, null, CancellationToken.None).Bounded();
        return e;
    }

    private async Task<List<Event>> CreateManyAsync(IEventStore store, int count)
    {
        var events = new List<Event>();
        for (var i = 0; i < count; i++)
        {
            var e = NewEvent();
            await store.CreateAsync(e, null, CancellationToken.None).Bounded();
            events.Add(e);
        }

        return events;
    }

    /// <summary>
    /// Events whose keys collide in every sort field: shared created_at values, start dates equal
    /// to other events' created_at, unset and repeated priorities.
    /// </summary>
    private async Task<List<Event>> CreateWithTiesAsync(IEventStore store)
    {
        var events = new List<Event>();
        for (var i = 0; i < 19; i++)
        {
            var createdAt = BaseTime.AddMinutes(i / 3);
            var n = i;
            var e = NewEvent(
                a =>
                {
                    a.Priority = (Priority)(n % 6);
                    if (n % 4 == 1)
                    {
                        a.StartDate = Timestamp.FromDateTimeOffset(BaseTime.AddMinutes(n % 5));
                    }
                },
                createdAt);
            await store.CreateAsync(e, null, CancellationToken.None).Bounded();
            events.Add(e);
        }

        return events;
    }

    private static IEnumerable<Event> Expected(IEnumerable<Event> events, EventOrder order)
    {
        var sorted = events.OrderBy(e => order.Keys[0].Field.SortValue(new StoredEvent([], 0), e).Number).ThenBy(e => e.Id, StringComparer.Ordinal);
        return order.Keys[0].Descending ? sorted.Reverse() : sorted;
    }

    private static async Task<List<Event>> WalkAsync(IEventStore store, EventFilter filter, EventOrder order, int pageSize)
    {
        var all = new List<Event>();
        EventCursor? after = null;
        for (var guard = 0; guard < 1000; guard++)
        {
            var page = await store.QueryAsync(new EventQuery(filter.ToCriteria(), order, pageSize, After: after), CancellationToken.None).Bounded();
            all.AddRange(page.Events);
            if (page.Events.Count < pageSize)
            {
                return all;
            }

            after = Orders.After(page.Events[^1], order);
        }

        throw new InvalidOperationException("The keyset walk did not end.");
    }

    private static Task<EventPage> QueryAllAsync(IEventStore store, EventFilter? filter = null) =>
        store.QueryAsync(new EventQuery((filter ?? EventFilter.None).ToCriteria(), EventOrder.NewestFirst, Limit: 1000), CancellationToken.None).Bounded();

    private static IEnumerable<string> Ids(IEnumerable<Event> events) => events.Select(e => e.Id);

    private static string[] Sorted(params Event[] events) => events.Select(e => e.Id).Order(StringComparer.Ordinal).ToArray();

    private static string[] Sorted(IEnumerable<Event> events) => Sorted(events.ToArray());
}
