using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Xunit;
using static Tracker.Events.Postgres.Tests.Expressions;

namespace Tracker.Events.Postgres.Tests;

/// <summary>A replaced event is found by its new values only, and keeps its commit position.</summary>
public sealed class PostgresReplaceTests : IAsyncLifetime
{
    private TestSchema _schema = null!;
    private PostgresEventStore _store = null!;

    public async Task InitializeAsync()
    {
        _schema = await TestPostgres.CreateSchemaAsync();
        _store = _schema.CreateStore();
        await _store.MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
    }

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task CreateAsync_RetriedRequestIdWhileTheEventIsUpdatedAndDeleted_NeverDeadlocks()
    {
        // A retried create meets the event's row through its request id while holding the commit
        // counter; an update or a delete of that row must not hold the row while it waits for the
        // counter (every writing statement takes the counter first).
        var original = TestEvents.New(title: "retried");
        await _store.CreateAsync(original, "request-r", CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        var current = original;
        var updates = Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                var next = current.Clone();
                next.Title = $"retried {i}";
                next.Etag = Guid.NewGuid().ToString("N");
                Assert.True(await _store.ReplaceAsync(next, current.Etag, CancellationToken.None));
                current = next;
            }
        });
        var retries = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                var stored = await _store.CreateAsync(TestEvents.New(title: "retry"), "request-r", CancellationToken.None);
                Assert.Equal(original.Id, stored.Id);
            }
        }));

        await Task.WhenAll([updates, .. retries]).WaitAsync(TestPostgres.Timeout);
        Assert.Equal(DeleteOutcome.Deleted, await _store.DeleteAsync(original.Id, null, CancellationToken.None).WaitAsync(TestPostgres.Timeout));
    }

    [Fact]
    public async Task ReplaceAsync_ChangedFields_QueriesSeeOnlyTheNewValues()
    {
        var original = TestEvents.New(title: "alpha release");
        original.Attributes.Message = "first words";
        original.Attributes.Labels.Add("team", "old");
        original.Attributes.StakeHolders.Add("ops");
        original.Attributes.Resources.Add(new ResourceRef { Kind = "Pod", Name = "a" });
        await _store.CreateAsync(original, null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        var sequence = await _store.FindSequenceAsync(original.Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        var changed = original.Clone();
        changed.Title = "omega rollout";
        changed.Attributes.Message = "second words";
        changed.Attributes.Labels["team"] = "new";
        changed.Attributes.StakeHolders.Clear();
        changed.Attributes.Resources[0].Kind = "VM";
        changed.Attributes.EndDate = Timestamp.FromDateTimeOffset(original.CreatedAt.ToDateTimeOffset().AddHours(1));
        changed.Attributes.Severity = Severity.Error;
        changed.Etag = Guid.NewGuid().ToString("N");
        Assert.True(await _store.ReplaceAsync(changed, original.Etag, CancellationToken.None).WaitAsync(TestPostgres.Timeout));

        Assert.True(await FindsAsync(Text(EventField.Title, Comparator.Equal, "omega rollout")));
        Assert.False(await FindsAsync(Text(EventField.Title, Comparator.Equal, "alpha release")));
        Assert.True(await FindsAsync(Label("team", Comparator.Equal, "new")));
        Assert.False(await FindsAsync(Label("team", Comparator.Equal, "old")));
        Assert.False(await FindsAsync(Has(EventField.StakeHolders)));
        Assert.True(await FindsAsync(Text(EventField.ResourceKind, Comparator.Equal, "VM")));
        Assert.False(await FindsAsync(Text(EventField.ResourceKind, Comparator.Equal, "Pod")));
        Assert.True(await FindsAsync(Has(EventField.EndDate)));
        Assert.True(await FindsAsync(Number(EventField.Severity, Comparator.Equal, (long)Severity.Error)));
        Assert.True(await FindsAsync(And(), "omega", "second"));
        Assert.False(await FindsAsync(And(), "alpha"));
        Assert.False(await FindsAsync(And(), "first"));
        Assert.Equal(sequence, await _store.FindSequenceAsync(original.Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout));
    }

    [Fact]
    public async Task ReplaceAsync_StaleEtag_LeavesTheColumnsAsTheyWere()
    {
        var original = TestEvents.New(title: "kept");
        await _store.CreateAsync(original, null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        var changed = original.Clone();
        changed.Title = "lost";

        Assert.False(await _store.ReplaceAsync(changed, "stale", CancellationToken.None).WaitAsync(TestPostgres.Timeout));

        Assert.True(await FindsAsync(Text(EventField.Title, Comparator.Equal, "kept")));
        Assert.False(await FindsAsync(Text(EventField.Title, Comparator.Equal, "lost")));
    }

    private async Task<bool> FindsAsync(FilterNode where, params string[] words)
    {
        var page = await _store.QueryAsync(new EventQuery(new EventCriteria(where, words), EventOrder.NewestFirst, Limit: 10), CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        return page.TotalCount == 1;
    }
}
