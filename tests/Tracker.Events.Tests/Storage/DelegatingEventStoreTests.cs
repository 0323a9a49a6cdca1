using Tracker.Api.V1Alpha1;
using Tracker.Events.Sqlite;
using Tracker.Events.Storage;
using Tracker.Events.Telemetry;
using Tracker.Events.Tests.Support;
using Xunit;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Tests.Storage;

/// <summary>
/// <see cref="DelegatingEventStore"/> over a real SQLite store: with nothing overridden, every call
/// of the port answers as the wrapped store does; and the decorator that must see every call
/// (<see cref="InstrumentedEventStore"/>) overrides every member, so that a member the port gains
/// is not passed through unmeasured.
/// </summary>
public sealed class DelegatingEventStoreTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset LongAgo = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TempSqliteDatabase _database = new();
    private SqliteEventStore _inner = null!;
    private PassThroughStore _store = null!;

    public async Task InitializeAsync()
    {
        _inner = new SqliteEventStore(_database.ConnectionString);
        _store = new PassThroughStore(_inner);
        await _store.MigrateAsync(CancellationToken.None).Bounded();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _inner.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task EveryMember_NothingOverridden_AnswersAsTheWrappedStore()
    {
        var none = CancellationToken.None;
        var created = await _store.CreateAsync(RetentionEvents.ChangedAt(Type.Deployment, LongAgo), "request-1", none).Bounded();
        var folded = RetentionEvents.ChangedAt(Type.Deployment, LongAgo);
        folded.AggregationKey = "key";
        await _store.CreateOrFoldAsync(folded, null, TimeSpan.FromMinutes(5), none).Bounded();

        Assert.Equal(created, await _inner.GetAsync(created.Id, none).Bounded());
        Assert.Equal(created, await _store.GetAsync(created.Id, none).Bounded());
        Assert.Equal(await _inner.FindSequenceAsync(created.Id, none).Bounded(), await _store.FindSequenceAsync(created.Id, none).Bounded());
        Assert.Equal(2, (await _store.QueryAsync(new EventQuery(EventCriteria.All, EventOrder.NewestFirst, 10), none).Bounded()).TotalCount);

        var updated = created.Clone();
        updated.Title = "updated";
        updated.Etag = "etag-2";
        Assert.True(await _store.ReplaceAsync(updated, created.Etag, none).Bounded());
        Assert.Equal("updated", (await _inner.GetAsync(created.Id, none).Bounded())!.Title);
        Assert.Equal(DeleteOutcome.Deleted, await _store.DeleteAsync(created.Id, null, none).Bounded());
        Assert.Null(await _inner.GetAsync(created.Id, none).Bounded());

        var expired = await _store.DeleteExpiredAsync([new ExpiryCutoff(Type.Deployment, DateTimeOffset.UtcNow)], 10, none).Bounded();
        Assert.Equal(1, expired[Type.Deployment]);

        var changes = await _store.ReadChangesAsync(0, 100, none).Bounded();
        Assert.Equal(
            [ChangeType.Created, ChangeType.Created, ChangeType.Updated, ChangeType.Deleted, ChangeType.Deleted],
            changes.Select(change => change.Type));
        Assert.Equal(await _inner.GetChangeLogBoundsAsync(none).Bounded(), await _store.GetChangeLogBoundsAsync(none).Bounded());
        Assert.Equal(5, await _store.PurgeChangesAsync(DateTimeOffset.UtcNow.AddDays(1), 100, none).Bounded());
        Assert.Empty(await _inner.ReadChangesAsync(0, 100, none).Bounded());
        Assert.True(await _store.IsReachableAsync(none).Bounded());
    }

    [Fact]
    public void InstrumentedEventStore_EveryPortMember_IsOverridden()
    {
        var passedThrough = typeof(IEventStore).GetMethods()
            .Select(member => typeof(InstrumentedEventStore).GetMethod(member.Name, member.GetParameters().Select(p => p.ParameterType).ToArray())!)
            .Where(method => method.DeclaringType != typeof(InstrumentedEventStore))
            .Select(method => method.Name);

        Assert.Empty(passedThrough);
    }

    /// <summary>Overrides nothing.</summary>
    private sealed class PassThroughStore(IEventStore inner) : DelegatingEventStore(inner);
}
