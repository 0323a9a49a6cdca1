using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Xunit;

namespace Tracker.Events.Postgres.Tests;

/// <summary>
/// Commit positions (seq): a poller asking for "after the last one I saw" while writers create
/// events on one or several replicas sees each event exactly once, in commit order.
/// </summary>
public sealed class PostgresCommitOrderTests : IAsyncLifetime
{
    private const int WritersPerStore = 6;
    private const int EventsPerWriter = 40;

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private TestSchema _schema = null!;

    public async Task InitializeAsync()
    {
        _schema = await TestPostgres.CreateSchemaAsync();
        await _schema.CreateStore().MigrateAsync(CancellationToken.None).WaitAsync(TestPostgres.Timeout);
    }

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task QueryAsync_PollingAfterSequenceWhileOneStoreWrites_SeesEveryEventOnceInCommitOrder()
    {
        await PollWhileWritingAsync([_schema.CreateStore()]);
    }

    [Fact]
    public async Task QueryAsync_PollingAfterSequenceWhileTwoReplicasWrite_SeesEveryEventOnceInCommitOrder()
    {
        await PollWhileWritingAsync([_schema.CreateStore(), _schema.CreateStore()]);
    }

    [Fact]
    public async Task DeleteAsync_ThenCreate_NeverReusesASequence()
    {
        var store = _schema.CreateStore();
        var first = await store.CreateAsync(TestEvents.New(), null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        var deleted = await store.CreateAsync(TestEvents.New(), null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        var deletedSequence = await store.FindSequenceAsync(deleted.Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        Assert.Equal(DeleteOutcome.Deleted, await store.DeleteAsync(deleted.Id, null, CancellationToken.None).WaitAsync(TestPostgres.Timeout));
        var next = await store.CreateAsync(TestEvents.New(), null, CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        Assert.Null(await store.FindSequenceAsync(deleted.Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout));
        Assert.True(await store.FindSequenceAsync(first.Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout) < deletedSequence);
        Assert.True(await store.FindSequenceAsync(next.Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout) > deletedSequence);
    }

    [Fact]
    public async Task CreateAsync_RepeatedRequestId_KeepsTheFirstEventsSequence()
    {
        var store = _schema.CreateStore();
        var first = await store.CreateAsync(TestEvents.New(), "request-1", CancellationToken.None).WaitAsync(TestPostgres.Timeout);
        var sequence = await store.FindSequenceAsync(first.Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        await store.CreateAsync(TestEvents.New(), "request-1", CancellationToken.None).WaitAsync(TestPostgres.Timeout);

        Assert.Equal(sequence, await store.FindSequenceAsync(first.Id, CancellationToken.None).WaitAsync(TestPostgres.Timeout));
    }

    private async Task PollWhileWritingAsync(IReadOnlyList<PostgresEventStore> writers)
    {
        var poller = _schema.CreateStore();
        var created = new List<string>();
        var writing = Task.WhenAll(writers.SelectMany(store => Enumerable.Range(0, WritersPerStore).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < EventsPerWriter; i++)
            {
                var e = await store.CreateAsync(TestEvents.New(title: $"event {i}"), null, CancellationToken.None);
                lock (created)
                {
                    created.Add(e.Id);
                }
            }
        }))));

        var seen = new List<StoredEvent>();
        long? after = null;
        var deadline = DateTime.UtcNow + Limit;
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, "The poller did not catch up in time.");
            var finished = writing.IsCompleted;
            var page = await poller.QueryAsync(new EventQuery(new EventCriteria(new AllOf([]), [], after), EventOrder.CommitOrder, Limit: 25), CancellationToken.None).WaitAsync(TestPostgres.Timeout);
            seen.AddRange(page.Stored);
            if (page.Stored.Count > 0)
            {
                after = page.Stored[^1].Sequence;
            }
            else if (finished)
            {
                // Every write had returned before this poll started, and it found nothing new.
                break;
            }
        }

        await writing.WaitAsync(Limit);
        var seenIds = seen.Select(s => s.Decode().Id).ToList();
        Assert.Equal(writers.Count * WritersPerStore * EventsPerWriter, created.Count);
        Assert.Equal(created.Order(StringComparer.Ordinal), seenIds.Order(StringComparer.Ordinal));
        Assert.All(seen.Zip(seen.Skip(1)), pair => Assert.True(pair.First.Sequence < pair.Second.Sequence));
    }
}
