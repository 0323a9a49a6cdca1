using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Storage;

/// <summary>
/// Group commit for creates, for every store: a writer loop takes every create waiting when it
/// is free (at most <see cref="MaxBatchSize"/>) and hands them to the store as one batch, one
/// transaction and one WAL flush for all, while the creates that arrive meanwhile queue for the
/// next. A lone create is written at once; nothing waits for a batch to fill. A caller waits only
/// for its own create's outcome, never for a turn at the store's lock: when each caller took the
/// lock in turn, the creates it found waiting were mostly those that arrived during the previous
/// turn, and batches shrank to one or two events.
/// </summary>
/// <param name="writeBatch">
/// Writes one batch and completes each create with what its transaction decided; a create it
/// leaves unanswered fails with the exception it throws.
/// </param>
/// <param name="maxWritersInFlight">
/// Batches written at once: 1 for a store with one writer (SQLite); 2 where one batch can be
/// flushed while the next one fills (PostgreSQL).
/// </param>
public sealed class CreateBatcher<TOutcome>(Func<IReadOnlyList<PendingCreate<TOutcome>>, Task> writeBatch, int maxWritersInFlight)
{
    /// <summary>The most creates in one batch: a longer queue takes several.</summary>
    public const int MaxBatchSize = 512;

    private readonly Lock _gate = new();
    private readonly Queue<PendingCreate<TOutcome>> _queue = new();
    private int _writersInFlight;

    /// <summary>
    /// Queues a create; the task completes with the outcome the store gave it once its
    /// transaction committed, or fails with that transaction's failure.
    /// </summary>
    public Task<TOutcome> InsertAsync(Event newEvent, string? requestId)
    {
        var pending = new PendingCreate<TOutcome>(newEvent, requestId);
        bool startWriter;
        lock (_gate)
        {
            _queue.Enqueue(pending);
            startWriter = _writersInFlight < maxWritersInFlight;
            if (startWriter)
            {
                _writersInFlight++;
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
                await writeBatch(batch).ConfigureAwait(false);
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
    private PendingCreate<TOutcome>[]? TakeBatch()
    {
        lock (_gate)
        {
            if (_queue.Count == 0)
            {
                _writersInFlight--;
                return null;
            }

            var batch = new PendingCreate<TOutcome>[Math.Min(_queue.Count, MaxBatchSize)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = _queue.Dequeue();
            }

            return batch;
        }
    }
}
