using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Sqlite.Tests;

public sealed class SqliteCreateBatcherTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task InsertAsync_WhileABatchIsBeingWritten_EveryCreateWaitingGoesInTheNextOne()
    {
        var batches = new List<int>();
        var started = new SemaphoreSlim(0);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batcher = new SqliteCreateBatcher(async batch =>
        {
            lock (batches)
            {
                batches.Add(batch.Count);
            }

            started.Release();
            await release.Task;
            foreach (var pending in batch)
            {
                pending.Complete(pending.Event);
            }
        });

        // One batch at a time (SQLite has one writer): the first holds the lone create...
        var first = batcher.InsertAsync(NewEvent(0), null);
        Assert.True(await started.WaitAsync(Limit));

        // ...and the ten that arrive while it is written go together in the next.
        var waiting = Enumerable.Range(1, 10).Select(i => batcher.InsertAsync(NewEvent(i), null)).ToArray();
        release.SetResult();

        var stored = await Task.WhenAll(waiting.Prepend(first)).WaitAsync(Limit);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => $"event-{i}"), stored.Select(e => e.Id));
        Assert.Equal([1, 10], batches);
    }

    [Fact]
    public async Task InsertAsync_BatchFails_EveryCreateOfTheBatchFails()
    {
        var batcher = new SqliteCreateBatcher(_ => Task.FromException(new InvalidOperationException("down")));

        var creates = Enumerable.Range(0, 5).Select(i => batcher.InsertAsync(NewEvent(i), null)).ToArray();

        foreach (var create in creates)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => create.WaitAsync(Limit));
            Assert.Equal("down", error.Message);
        }
    }

    [Fact]
    public async Task InsertAsync_OneAfterAnother_EachIsWritten()
    {
        var batcher = new SqliteCreateBatcher(batch =>
        {
            foreach (var pending in batch)
            {
                pending.Complete(pending.Event);
            }

            return Task.CompletedTask;
        });

        Assert.Equal("event-1", (await batcher.InsertAsync(NewEvent(1), null).WaitAsync(Limit)).Id);
        Assert.Equal("event-2", (await batcher.InsertAsync(NewEvent(2), null).WaitAsync(Limit)).Id);
    }

    private static Event NewEvent(int i) => new() { Id = $"event-{i}", Title = "t" };
}
