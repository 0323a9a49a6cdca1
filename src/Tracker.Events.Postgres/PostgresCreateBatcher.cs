using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Postgres;

/// <summary>
/// Group commit for creates: the creates that arrive while a batch is being written wait
/// together and go in the next one, as one INSERT in one transaction, so that a burst of
/// concurrent creates costs a few WAL flushes instead of one each. A lone create is written at
/// once; nothing waits for a batch to fill.
/// </summary>
internal sealed class PostgresCreateBatcher(Func<IReadOnlyList<PendingCreate<bool>>, Task<IReadOnlySet<string>>> insertBatch)
{
    // Two batches in flight: one is being flushed by PostgreSQL while the next one fills.
    private const int MaxBatchesInFlight = 2;
    private const int MaxBatchSize = 512;

    private readonly Lock _gate = new();
    private readonly Queue<PendingCreate<bool>> _queue = new();
    private int _batchesInFlight;

    /// <summary>True when the event was inserted; false when its request id or id was already taken.</summary>
    public Task<bool> InsertAsync(Event newEvent, string? requestId)
    {
        var pending = new PendingCreate<bool>(newEvent, requestId);
        bool startWriter;
        lock (_gate)
        {
            _queue.Enqueue(pending);
            startWriter = _batchesInFlight < MaxBatchesInFlight;
            if (startWriter)
            {
                _batchesInFlight++;
            }
        }

        if (startWriter)
        {
            _ = Task.Run(WriteBatchesAsync);
        }

        return pending.Outcome;
    }

    private async Task WriteBatchesAsync()
    {
        while (TakeBatch() is { } batch)
        {
            try
            {
                var inserted = await insertBatch(batch).ConfigureAwait(false);
                foreach (var pending in batch)
                {
                    pending.Complete(inserted.Contains(pending.Event.Id));
                }
            }
            catch (Exception exception)
            {
                foreach (var pending in batch)
                {
                    pending.Fail(exception);
                }
            }
        }
    }

    /// <summary>The next batch, or null (and one writer fewer) when nothing is waiting.</summary>
    private PendingCreate<bool>[]? TakeBatch()
    {
        lock (_gate)
        {
            if (_queue.Count == 0)
            {
                _batchesInFlight--;
                return null;
            }

            var batch = new PendingCreate<bool>[Math.Min(_queue.Count, MaxBatchSize)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = _queue.Dequeue();
            }

            return batch;
        }
    }
}
