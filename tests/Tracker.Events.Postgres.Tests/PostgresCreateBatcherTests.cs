using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Postgres.Tests;

public sealed class PostgresCreateBatcherTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task InsertAsync_WhileBatchesAreBeingWritten_WaitingCreatesShareTheNextBatch()
    {
        var batches = new List<int>();
        var started = new SemaphoreSlim(0);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batcher = new PostgresCreateBatcher(async batch =>
        {
            lock (batches)
            {
                batches.Add(batch.Count);
            }

            started.Release();
            await release.Task;
            return batch.Select(p => p.Event.Id).ToHashSet();
        });

        // Two batches in flight, each of the one create that was waiting when it started...
        var first = batcher.InsertAsync(NewEvent(0), null);
        Assert.True(await started.WaitAsync(Limit));
        var second = batcher.InsertAsync(NewEvent(1), null);
        Assert.True(await started.WaitAsync(Limit));

        // ...so these ten wait, and go together once a batch is done.
        var waiting = Enumerable.Range(2, 10).Select(i => batcher.InsertAsync(NewEvent(i), null)).ToArray();
        release.SetResult();

        Assert.All(await Task.WhenAll(waiting.Prepend(second).Prepend(first)).WaitAsync(Limit), Assert.True);
        Assert.Equal([1, 1, 10], batches);
    }

    [Fact]
    public async Task InsertAsync_RowSkippedByConflict_ReportsNotInserted()
    {
        var batcher = new PostgresCreateBatcher(batch => Task.FromResult<IReadOnlySet<string>>(new HashSet<string>()));

        Assert.False(await batcher.InsertAsync(NewEvent(1), "request").WaitAsync(Limit));
    }

    [Fact]
    public async Task InsertAsync_BatchFails_EveryCreateOfTheBatchFails()
    {
        var batcher = new PostgresCreateBatcher(_ => Task.FromException<IReadOnlySet<string>>(new InvalidOperationException("down")));

        var creates = Enumerable.Range(0, 5).Select(i => batcher.InsertAsync(NewEvent(i), null)).ToArray();

        foreach (var create in creates)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => create.WaitAsync(Limit));
            Assert.Equal("down", error.Message);
        }
    }

    private static Event NewEvent(int i) => new() { Id = $"event-{i}", Title = "t" };
}
