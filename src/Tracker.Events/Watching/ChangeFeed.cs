using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tracker.Events.Storage;

namespace Tracker.Events.Watching;

/// <summary>
/// Reads the change log once for every watcher of this process and hands each change to the
/// watchers that want it. It reads only while someone watches: when woken by the
/// <see cref="ChangeSignal"/> (a write here, or a PostgreSQL notification from any replica), or
/// every <see cref="WatchOptions.PollInterval"/>. It walks by position, so it hands out every
/// change once and in order; a watcher joins at the position it has read the log up to itself
/// (<see cref="TryJoin"/>), which is how a watch switches from replay to live without a gap or a
/// repeat.
/// </summary>
public sealed class ChangeFeed : BackgroundService
{
    private const int PageSize = 500;

    private readonly IEventStore _store;
    private readonly ChangeSignal _signal;
    private readonly WatchOptions _options;
    private readonly ILogger<ChangeFeed> _logger;
    private readonly object _gate = new();
    private readonly List<ChangeWatcher> _watchers = [];
    private long _cursor;

    public ChangeFeed(IEventStore store, ChangeSignal signal, IOptions<WatchOptions> options, IHostApplicationLifetime lifetime, ILogger<ChangeFeed> logger)
    {
        _store = store;
        _signal = signal;
        _options = options.Value;
        _logger = logger;
        Stopping = lifetime.ApplicationStopping;
    }

    /// <summary>Cancelled when the server starts to shut down: every watch then ends.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>How many watchers are live now.</summary>
    public int WatcherCount
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="watcher"/> live from <paramref name="position"/>, the position up to
    /// which it has read the change log itself. False when the feed has already handed out
    /// changes after that position: the watcher reads on from the log and tries again.
    /// </summary>
    internal bool TryJoin(ChangeWatcher watcher, long position)
    {
        lock (_gate)
        {
            if (_watchers.Count == 0)
            {
                // Nobody else depends on where the feed stands: it may start anywhere.
                _cursor = position;
            }
            else if (_cursor > position)
            {
                return false;
            }

            watcher.SkipThrough = position;
            _watchers.Add(watcher);
        }

        _signal.Notify();
        return true;
    }

    /// <summary>Stops handing changes to a watcher (its call ended).</summary>
    internal void Leave(ChangeWatcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before reading: a change committed while we read wakes the next round.
            var next = _signal.Next;
            try
            {
                await DistributeAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Never take the host down: watchers wait, and the next round tries again.
                WatchLog.FeedReadFailed(_logger, e);
            }

            try
            {
                await next.WaitAsync(_options.PollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Hands out every change after the cursor, a page at a time, while anyone watches.</summary>
    private async Task DistributeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            long from;
            lock (_gate)
            {
                if (_watchers.Count == 0)
                {
                    return;
                }

                from = _cursor;
            }

            var changes = await _store.ReadChangesAsync(from, PageSize, cancellationToken).ConfigureAwait(false);
            var decoded = changes.Select(c => (Change: c, Event: c.Decode(), Previous: c.DecodePrevious()))
                .Select(d => (d.Change, d.Event, d.Previous, Message: WatchMessages.Of(d.Change, d.Event)))
                .ToList();
            lock (_gate)
            {
                // A first watcher joining meanwhile may have moved the cursor: read again from there.
                if (_cursor != from)
                {
                    continue;
                }

                foreach (var (change, e, previous, message) in decoded)
                {
                    foreach (var watcher in _watchers)
                    {
                        watcher.Offer(change, e, previous, message);
                    }

                    _cursor = change.Sequence;
                }

                _watchers.RemoveAll(w => w.FellBehind);
            }

            if (changes.Count < PageSize)
            {
                return;
            }
        }
    }
}
