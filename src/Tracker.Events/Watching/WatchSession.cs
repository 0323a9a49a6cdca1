using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Telemetry;

namespace Tracker.Events.Watching;

/// <summary>
/// Runs one watch call: the initial events if asked, then the changes after the plan's start,
/// read from the change log page by page until the watcher has caught up and joined the
/// <see cref="ChangeFeed"/>, then live ones from its buffer. The catch-up reads and the feed
/// meet at one position (<see cref="ChangeFeed.TryJoin"/>), so no change is lost or sent twice.
/// Ends with RESOURCE_EXHAUSTED when the buffer overflows and UNAVAILABLE when the server stops,
/// each naming the last change sent; a cancelled call just leaves. In every case the watcher
/// leaves the feed at once. Each live message's lag, from its commit to its flush on this stream,
/// goes to <see cref="DeliveryMetrics"/>.
/// </summary>
internal sealed class WatchSession(IEventStore store, ChangeFeed feed, int bufferSize, DeliveryMetrics metrics, ILogger logger)
{
    private const int PageSize = 500;

    // Watch messages are never compressed: each is one event, encoded once for all its watchers
    // (WatchMessages), and gzip would compress it again for every one of them, each time setting
    // up a fresh deflate state; with 100 watchers that was most of the server's processor time.
    private static readonly WriteOptions FlushedWrite = new(WriteFlags.NoCompress);

    // Written to the response without a flush: the next write that flushes sends it too.
    private static readonly WriteOptions BufferedWrite = new(WriteFlags.BufferHint | WriteFlags.NoCompress);

    // Live messages written since the last flush: they leave, and their lag is measured, with it.
    private readonly List<DateTimeOffset> _unflushed = [];

    private string _lastSent = string.Empty;
    private bool _canBuffer = true;

    public async Task RunAsync(WatchPlan plan, IServerStreamWriter<WatchEventsResponse> stream, CancellationToken callCancelled)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(callCancelled, feed.Stopping);
        var cancellationToken = stopping.Token;
        _lastSent = ChangeId(plan.Start);
        var watcher = new ChangeWatcher(plan.Where, bufferSize);
        try
        {
            if (plan.SendInitialEvents)
            {
                await SendInitialEventsAsync(plan, stream, cancellationToken).ConfigureAwait(false);
            }

            await CatchUpAsync(plan, watcher, stream, cancellationToken).ConfigureAwait(false);
            while (await watcher.Changes.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (watcher.Changes.TryRead(out var message))
                {
                    // A burst (a group commit's creates) goes out in one flush, with its last message.
                    var flush = !watcher.Changes.TryPeek(out _);
                    await SendAsync(message, stream, cancellationToken, flush).ConfigureAwait(false);
                    _unflushed.Add(message.ChangeTime.ToDateTimeOffset());
                    if (flush || !_canBuffer)
                    {
                        metrics.WatchMessagesWritten(_unflushed);
                        _unflushed.Clear();
                    }
                }
            }
        }
        catch (WatcherFellBehindException)
        {
            WatchLog.WatcherFellBehind(logger, bufferSize, _lastSent);
            throw EventErrors.WatcherFellBehind(bufferSize, _lastSent);
        }
        catch (OperationCanceledException) when (feed.Stopping.IsCancellationRequested && !callCancelled.IsCancellationRequested)
        {
            throw EventErrors.WatchInterrupted(_lastSent);
        }
        finally
        {
            feed.Leave(watcher);
        }
    }

    private static string ChangeId(long position) => position.ToString(CultureInfo.InvariantCulture);

    /// <summary>Every matching event as it is now, oldest first, each carrying the position live changes follow.</summary>
    private async Task SendInitialEventsAsync(WatchPlan plan, IServerStreamWriter<WatchEventsResponse> stream, CancellationToken cancellationToken)
    {
        var changeId = ChangeId(plan.Start);
        long after = 0;
        while (true)
        {
            var criteria = new EventCriteria(plan.Where, [], after);
            // The total is not used: a count limit of 0 reads at most one row for it.
            var page = await store.QueryAsync(new EventQuery(criteria, EventOrder.CommitOrder, PageSize, CountLimit: 0), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < page.Stored.Count; i++)
            {
                // Created after the start: its creation comes as a live change.
                if (page.Stored[i].Sequence > plan.Start)
                {
                    return;
                }

                var e = page.Events[i];
                await SendAsync(
                    new WatchEventsResponse { ChangeType = ChangeType.Created, Event = e, ChangeId = changeId, ChangeTime = e.CreatedAt, Initial = true },
                    stream,
                    cancellationToken).ConfigureAwait(false);
                after = page.Stored[i].Sequence;
            }

            if (page.Stored.Count < PageSize)
            {
                return;
            }
        }
    }

    /// <summary>Replays the change log from the start until the feed takes the watcher on.</summary>
    private async Task CatchUpAsync(WatchPlan plan, ChangeWatcher watcher, IServerStreamWriter<WatchEventsResponse> stream, CancellationToken cancellationToken)
    {
        var position = plan.Start;
        while (true)
        {
            var changes = await store.ReadChangesAsync(position, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var change in changes)
            {
                var e = change.Decode();
                if (watcher.Wants(change, e, change.DecodePrevious()))
                {
                    await SendAsync(WatchMessages.Of(change, e), stream, cancellationToken).ConfigureAwait(false);
                }

                position = change.Sequence;
            }

            if (changes.Count < PageSize && feed.TryJoin(watcher, position))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Asks the writer to flush this write or not, uncompressed; REST's JSON writer has no such
    /// options and flushes each.
    /// </summary>
    private void SetFlush(IServerStreamWriter<WatchEventsResponse> stream, bool flush)
    {
        if (!_canBuffer)
        {
            return;
        }

        try
        {
            var options = flush ? FlushedWrite : BufferedWrite;
            if (!ReferenceEquals(stream.WriteOptions, options))
            {
                stream.WriteOptions = options;
            }
        }
        catch (Exception e) when (e is NotSupportedException or NotImplementedException)
        {
            _canBuffer = false;
        }
    }

    private async Task SendAsync(WatchEventsResponse message, IServerStreamWriter<WatchEventsResponse> stream, CancellationToken cancellationToken, bool flush = true)
    {
        SetFlush(stream, flush);
        try
        {
            await stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left while the write was on its way: a cancelled call, not a fault.
            throw new OperationCanceledException(cancellationToken);
        }

        _lastSent = message.ChangeId;
    }
}
