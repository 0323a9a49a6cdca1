namespace Tracker.Events.Updating;

/// <summary>
/// Lets one update of an event run at a time in this process, so that concurrent updates
/// without an etag queue up instead of failing each other's optimistic write. Updates from
/// other processes (several replicas on one database) are still settled by the etag check.
/// </summary>
internal sealed class EventUpdateGate
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<IDisposable> EnterAsync(string id, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(id, out entry!))
            {
                entry = new Entry();
                _entries[id] = entry;
            }

            entry.Users++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(id, entry, release: false);
            throw;
        }

        return new Ticket(this, id, entry);
    }

    private void Leave(string id, Entry entry, bool release)
    {
        if (release)
        {
            entry.Semaphore.Release();
        }

        lock (_entries)
        {
            // The last one out removes the entry, so the gate holds only events being updated.
            if (--entry.Users == 0)
            {
                _entries.Remove(id);
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Ticket(EventUpdateGate gate, string id, Entry entry) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                gate.Leave(id, entry, release: true);
            }
        }
    }
}
