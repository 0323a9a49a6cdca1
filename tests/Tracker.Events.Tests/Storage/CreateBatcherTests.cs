using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Tests.Storage;

public sealed class CreateBatcherTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task InsertAsync_OneWriterWhileABatchIsBeingWritten_EveryCreateWaitingGoesInTheNextOne()
    {
        var writer = new HeldWriter();
        var batcher = new CreateBatcher<string>(writer.WriteAsync, maxWritersInFlight: 1);

        // One batch at a time (SQLite has one writer): the first holds the lone create...
        var first = batcher.InsertAsync(NewEvent(0), null);
        Assert.True(await writer.Started.WaitAsync(Limit));

        // ...and the ten that arrive while it is written go together in the next.
        var waiting = Enumerable.Range(1, 10).Select(i => batcher.InsertAsync(NewEvent(i), null)).ToArray();
        writer.Release.SetResult();

        var stored = await Task.WhenAll(waiting.Prepend(first)).WaitAsync(Limit);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => $"event-{i}"), stored);
        Assert.Equal([1, 10], writer.Batches);
    }

    [Fact]
    public async Task InsertAsync_TwoWritersWhileBothAreWriting_WaitingCreatesShareTheNextBatch()
    {
        var writer = new HeldWriter();
        var batcher = new CreateBatcher<string>(writer.WriteAsync, maxWritersInFlight: 2);

        // Two batches in flight (PostgreSQL flushes one while the next fills), each of the one create waiting when it started...
        var first = batcher.InsertAsync(NewEvent(0), null);
        Assert.True(await writer.Started.WaitAsync(Limit));
        var second = batcher.InsertAsync(NewEvent(1), null);
        Assert.True(await writer.Started.WaitAsync(Limit));

        // ...so these ten wait, and go together once a batch is done.
        var waiting = Enumerable.Range(2, 10).Select(i => batcher.InsertAsync(NewEvent(i), null)).ToArray();
        writer.Release.SetResult();

        Assert.Equal(12, (await Task.WhenAll(waiting.Prepend(second).Prepend(first)).WaitAsync(Limit)).Distinct().Count());
        Assert.Equal([1, 1, 10], writer.Batches);
    }

    [Fact]
    public async Task InsertAsync_BatchFails_EveryCreateOfTheBatchFails()
    {
        var batcher = new CreateBatcher<string>(_ => Task.FromException(new InvalidOperationException("down")), maxWritersInFlight: 1);

        var creates = Enumerable.Range(0, 5).Select(i => batcher.InsertAsync(NewEvent(i), null)).ToArray();

        foreach (var create in creates)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => create.WaitAsync(Limit));
            Assert.Equal("down", error.Message);
        }
    }

    [Fact]
    public async Task InsertAsync_OneAfterAnother_EachGetsTheOutcomeTheWriterGaveIt()
    {
        var batcher = new CreateBatcher<string>(
            batch =>
            {
                foreach (var pending in batch)
                {
                    pending.Complete(pending.Event.Id + "/" + pending.RequestId);
                }

                return Task.CompletedTask;
            },
            maxWritersInFlight: 2);

        Assert.Equal("event-1/a", await batcher.InsertAsync(NewEvent(1), "a").WaitAsync(Limit));
        Assert.Equal("event-2/", await batcher.InsertAsync(NewEvent(2), null).WaitAsync(Limit));
    }

    private static Event NewEvent(int i) => new() { Id = $"event-{i}", Title = "t" };

    /// <summary>A writer that records each batch's size and holds every batch until released.</summary>
    private sealed class HeldWriter
    {
        private readonly List<int> _batches = [];

        public SemaphoreSlim Started { get; } = new(0);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<int> Batches
        {
            get
            {
                lock (_batches)
                {
                    return [.. _batches];
                }
            }
        }

        public async Task WriteAsync(IReadOnlyList<PendingCreate<string>> batch)
        {
            lock (_batches)
            {
                _batches.Add(batch.Count);
            }

            Started.Release();
            await Release.Task;
            foreach (var pending in batch)
            {
                pending.Complete(pending.Event.Id);
            }
        }
    }
}
