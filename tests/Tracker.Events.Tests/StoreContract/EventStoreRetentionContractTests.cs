using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Tests.Support;
using Xunit;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Tests.StoreContract;

/// <summary>
/// Retention's store call (README, "Retention"), <see cref="IEventStore.DeleteExpiredAsync"/>, as every store
/// must do it: an event expires when its updated_at is before its type's cutoff; types without a
/// cutoff are kept; at most the limit per call, oldest change first; each deletion a DELETED change
/// in the change log, as DeleteAsync writes it, and no trace left for search. Derive once per store.
/// </summary>
public abstract class EventStoreRetentionContractTests
{
    /// <summary>"Now" for the cutoffs: events are stamped relative to it.</summary>
    protected static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A new, migrated, empty store, private to the calling test.</summary>
    protected abstract Task<IEventStore> CreateStoreAsync();

    [Fact]
    public async Task DeleteExpiredAsync_ExpiredAndFreshEvents_DeletesOnlyThoseChangedBeforeTheCutoff()
    {
        var store = await CreateStoreAsync().Bounded();
        var cutoff = Now.AddDays(-30);
        var longAgo = await RetentionEvents.CreateAsync(store, Type.Deployment, cutoff.AddDays(-200));
        var justBefore = await RetentionEvents.CreateAsync(store, Type.Deployment, cutoff.AddTicks(-10));
        var atCutoff = await RetentionEvents.CreateAsync(store, Type.Deployment, cutoff);
        var fresh = await RetentionEvents.CreateAsync(store, Type.Deployment, Now);

        var deleted = await store.DeleteExpiredAsync([new ExpiryCutoff(Type.Deployment, cutoff)], 100, CancellationToken.None).Bounded();

        Assert.Equal("Deployment: 2", Counts(deleted));
        Assert.Null(await store.GetAsync(longAgo.Id, CancellationToken.None).Bounded());
        Assert.Null(await store.GetAsync(justBefore.Id, CancellationToken.None).Bounded());
        Assert.Equal(atCutoff, await store.GetAsync(atCutoff.Id, CancellationToken.None).Bounded());
        Assert.Equal(fresh, await store.GetAsync(fresh.Id, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task DeleteExpiredAsync_CutoffPerType_EachTypeByItsOwnAndTypesWithoutOneKept()
    {
        var store = await CreateStoreAsync().Bounded();
        var oldIncident = await RetentionEvents.CreateAsync(store, Type.Incident, Now.AddDays(-400));
        var recentIncident = await RetentionEvents.CreateAsync(store, Type.Incident, Now.AddDays(-100));
        var oldDeployment = await RetentionEvents.CreateAsync(store, Type.Deployment, Now.AddDays(-100));
        var recentDeployment = await RetentionEvents.CreateAsync(store, Type.Deployment, Now.AddDays(-10));
        var ancientDrift = await RetentionEvents.CreateAsync(store, Type.Drift, Now.AddDays(-5000));

        var deleted = await store.DeleteExpiredAsync(
            [new ExpiryCutoff(Type.Incident, Now.AddDays(-365)), new ExpiryCutoff(Type.Deployment, Now.AddDays(-30))],
            100,
            CancellationToken.None).Bounded();

        Assert.Equal("Deployment: 1, Incident: 1", Counts(deleted));
        Assert.Equal(
            Sorted(recentIncident, recentDeployment, ancientDrift),
            Sorted(await AllAsync(store)));
        Assert.Null(await store.GetAsync(oldIncident.Id, CancellationToken.None).Bounded());
        Assert.Null(await store.GetAsync(oldDeployment.Id, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task DeleteExpiredAsync_MoreThanTheLimit_DeletesTheOldestChangesFirstOneBatchPerCall()
    {
        var store = await CreateStoreAsync().Bounded();
        var expired = new List<Event>();
        for (var i = 0; i < 7; i++)
        {
            // Types interleaved in time: the batches follow updated_at across types.
            expired.Add(await RetentionEvents.CreateAsync(store, i % 2 == 0 ? Type.Incident : Type.Operation, Now.AddDays(-100 + i)));
        }

        var kept = await RetentionEvents.CreateAsync(store, Type.Incident, Now);
        ExpiryCutoff[] cutoffs = [new(Type.Incident, Now.AddDays(-1)), new(Type.Operation, Now.AddDays(-1))];

        var first = await store.DeleteExpiredAsync(cutoffs, 3, CancellationToken.None).Bounded();
        var remainingAfterFirst = Sorted(await AllAsync(store));
        var second = await store.DeleteExpiredAsync(cutoffs, 3, CancellationToken.None).Bounded();
        var third = await store.DeleteExpiredAsync(cutoffs, 3, CancellationToken.None).Bounded();
        var fourth = await store.DeleteExpiredAsync(cutoffs, 3, CancellationToken.None).Bounded();

        Assert.Equal("Operation: 1, Incident: 2", Counts(first));
        Assert.Equal(Sorted([.. expired.Skip(3), kept]), remainingAfterFirst);
        Assert.Equal("Operation: 2, Incident: 1", Counts(second));
        Assert.Equal("Incident: 1", Counts(third));
        Assert.Empty(fourth);
        Assert.Equal([kept.Id], Sorted(await AllAsync(store)));
    }

    [Fact]
    public async Task DeleteExpiredAsync_CreatedLongAgoButUpdatedSince_KeptUntilItsLastChangeExpires()
    {
        var store = await CreateStoreAsync().Bounded();
        var created = await RetentionEvents.CreateAsync(store, Type.Incident, Now.AddDays(-100));
        var updated = created.Clone();
        updated.Title = "still being worked on";
        updated.Etag = Guid.NewGuid().ToString("N");
        updated.UpdatedAt = Timestamp.FromDateTimeOffset(Now.AddDays(-1));
        Assert.True(await store.ReplaceAsync(updated, created.Etag, CancellationToken.None).Bounded());

        var early = await store.DeleteExpiredAsync([new ExpiryCutoff(Type.Incident, Now.AddDays(-30))], 100, CancellationToken.None).Bounded();
        var late = await store.DeleteExpiredAsync([new ExpiryCutoff(Type.Incident, Now)], 100, CancellationToken.None).Bounded();

        Assert.Empty(early);
        Assert.Equal("Incident: 1", Counts(late));
        Assert.Null(await store.GetAsync(created.Id, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task DeleteExpiredAsync_DeletedEvents_AppendDeletedChangesWithTheLastStoredEventsOldestFirst()
    {
        var store = await CreateStoreAsync().Bounded();
        var older = await RetentionEvents.CreateAsync(store, Type.Deployment, Now.AddDays(-60));
        var newer = await RetentionEvents.CreateAsync(store, Type.Incident, Now.AddDays(-50));
        await RetentionEvents.CreateAsync(store, Type.Incident, Now);
        var before = await store.GetChangeLogBoundsAsync(CancellationToken.None).Bounded();

        await store.DeleteExpiredAsync([new ExpiryCutoff(Type.Deployment, Now.AddDays(-1)), new ExpiryCutoff(Type.Incident, Now.AddDays(-1))], 100, CancellationToken.None).Bounded();

        var changes = await store.ReadChangesAsync(before.Last, 100, CancellationToken.None).Bounded();
        Assert.Equal([ChangeType.Deleted, ChangeType.Deleted], changes.Select(c => c.Type));
        Assert.Equal([older, newer], changes.Select(c => c.Decode()));
        Assert.True(before.Last < changes[0].Sequence && changes[0].Sequence < changes[1].Sequence);
        Assert.All(changes, c => Assert.Null(c.PreviousDocument));
        Assert.True((await store.GetChangeLogBoundsAsync(CancellationToken.None).Bounded()).Last >= changes[1].Sequence);
    }

    [Fact]
    public async Task DeleteExpiredAsync_NothingExpired_DeletesNothingAndLeavesTheChangeLogAlone()
    {
        var store = await CreateStoreAsync().Bounded();
        var e = await RetentionEvents.CreateAsync(store, Type.Deployment, Now.AddDays(-1));
        var before = await store.GetChangeLogBoundsAsync(CancellationToken.None).Bounded();

        var none = await store.DeleteExpiredAsync([new ExpiryCutoff(Type.Deployment, Now.AddDays(-2))], 100, CancellationToken.None).Bounded();
        var noCutoffs = await store.DeleteExpiredAsync([], 100, CancellationToken.None).Bounded();

        Assert.Empty(none);
        Assert.Empty(noCutoffs);
        Assert.Equal(e, await store.GetAsync(e.Id, CancellationToken.None).Bounded());
        Assert.Empty(await store.ReadChangesAsync(before.Last, 100, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task DeleteExpiredAsync_EventsWithSearchData_LeaveNothingToFind()
    {
        var store = await CreateStoreAsync().Bounded();
        var expired = await RetentionEvents.CreateAsync(store, Type.Deployment, Now.AddDays(-60), a =>
        {
            a.Message = "zanzibar rollout";
            a.Labels.Add("team", "retention-test");
            a.Resources.Add(new ResourceRef { Kind = "Pod", Name = "api-0" });
            a.StakeHolders.Add("ops");
        });

        await store.DeleteExpiredAsync([new ExpiryCutoff(Type.Deployment, Now)], 100, CancellationToken.None).Bounded();
        var lookalike = await RetentionEvents.CreateAsync(store, Type.Deployment, Now, a => a.Message = "unrelated");

        Assert.NotEqual(expired.Id, lookalike.Id);
        Assert.Empty(await FindAsync(store, new EventCriteria(new AllOf([]), ["zanzibar"])));
        Assert.Empty(await FindAsync(store, new EventCriteria(new Comparison(EventField.Labels, Comparator.Equal, FilterValue.Of("retention-test"), "team"), [])));
        Assert.Empty(await FindAsync(store, new EventCriteria(new Comparison(EventField.ResourceName, Comparator.Equal, FilterValue.Of("api-0")), [])));
        Assert.Empty(await FindAsync(store, new EventCriteria(new Comparison(EventField.StakeHolders, Comparator.Equal, FilterValue.Of("ops")), [])));
        Assert.Equal(1, (await store.QueryAsync(new EventQuery(EventFilter.None.ToCriteria(), EventOrder.NewestFirst, 100), CancellationToken.None).Bounded()).TotalCount);
    }

    [Fact]
    public async Task DeleteExpiredAsync_ConcurrentCallers_DeleteEachEventOnce()
    {
        var store = await CreateStoreAsync().Bounded();
        for (var i = 0; i < 60; i++)
        {
            await RetentionEvents.CreateAsync(store, (Type)(1 + (i % 5)), Now.AddDays(-10).AddMinutes(i));
        }

        var before = await store.GetChangeLogBoundsAsync(CancellationToken.None).Bounded();
        ExpiryCutoff[] cutoffs = [.. System.Enum.GetValues<Type>().Select(t => new ExpiryCutoff(t, Now))];

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var total = 0;
            int batch;
            do
            {
                batch = (await store.DeleteExpiredAsync(cutoffs, 7, CancellationToken.None)).Values.Sum();
                total += batch;
            }
            while (batch > 0);
            return total;
        }))).Bounded();

        Assert.Equal(60, runs.Sum());
        Assert.Empty(await AllAsync(store));
        var changes = await store.ReadChangesAsync(before.Last, 1000, CancellationToken.None).Bounded();
        Assert.Equal(60, changes.Count);
        Assert.All(changes, c => Assert.Equal(ChangeType.Deleted, c.Type));
        Assert.Equal(60, changes.Select(c => c.Decode().Id).Distinct().Count());
    }

    private static async Task<IReadOnlyList<Event>> AllAsync(IEventStore store) =>
        await FindAsync(store, EventFilter.None.ToCriteria());

    private static async Task<IReadOnlyList<Event>> FindAsync(IEventStore store, EventCriteria criteria) =>
        (await store.QueryAsync(new EventQuery(criteria, EventOrder.NewestFirst, 1000), CancellationToken.None).Bounded()).Events;

    /// <summary>Deleted counts as "Deployment: 2, Incident: 1", in the enum's order.</summary>
    private static string Counts(IReadOnlyDictionary<Type, int> deleted) =>
        string.Join(", ", deleted.OrderBy(d => d.Key).Select(d => $"{d.Key}: {d.Value}"));

    private static string[] Sorted(params IEnumerable<Event> events) => events.Select(e => e.Id).Order(StringComparer.Ordinal).ToArray();
}
