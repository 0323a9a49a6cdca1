using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Sqlite;

/// <summary>
/// Group commit for creates on SQLite's one writer: a single writer loop takes every create
/// waiting when it is free and writes them as one transaction (one fsync for all), while the
/// creates that arrive meanwhile queue for the next. A lone create is written at once; nothing
/// waits for a batch to fill. A caller waits only for its own create's outcome, never for a turn
/// at the write lock: when each caller took the lock in turn, the creates it found waiting were
/// mostly those that arrived during the previous turn, and batches shrank to one or two events.
/// </summary>
internal sealed class SqliteCreateBatcher(Func<IReadOnlyList<PendingCreate<Event>>, Task> writeBatch)
{
    // At most this many creates in one transaction: a larger queue takes several.
    private const int MaxBatchSize = 512;

    private readonly Lock _gate = new();
    private readonly Queue<PendingCreate<Event>> _queue = new();
    private bool _writing;

    /// <summary>
    /// Queues a create; the task completes with the event stored (this one, or the first of its
    /// request id) once its transaction committed, or fails with that transaction's failure.
    /// </summary>
    public Task<Event> InsertAsync(Event newEvent, string? requestId)
    {
        var pending = new PendingCreate<Event>(newEvent, requestId);
        bool startWriter;
        lock (_gate)
        {
            _queue.Enqueue(pending);
            startWriter = !_writing;
            _writing = true;
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
                // The writer completes each create; what it leaves unanswered fails with its failure.
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

    /// <summary>The next batch, or null (and the loop ends) when nothing is waiting.</summary>
    private PendingCreate<Event>[]? TakeBatch()
    {
        lock (_gate)
        {
            if (_queue.Count == 0)
            {
                _writing = false;
                return null;
            }

            var batch = new PendingCreate<Event>[Math.Min(_queue.Count, MaxBatchSize)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = _queue.Dequeue();
            }

            return batch;
        }
    }
}
