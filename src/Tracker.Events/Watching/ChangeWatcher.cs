using System.Threading.Channels;
using Tracker.Api.V1Alpha1;
using Channel = System.Threading.Channels.Channel;
using Tracker.Events.Storage;

namespace Tracker.Events.Watching;

/// <summary>
/// One watch call's subscription to the <see cref="ChangeFeed"/>: the changes after
/// <see cref="SkipThrough"/> whose event matches, in a buffer of bounded size. When the buffer is
/// full the watcher has fallen behind: the buffer is completed with
/// <see cref="WatcherFellBehindException"/>, after the changes already in it.
/// </summary>
internal sealed class ChangeWatcher(FilterNode where, int bufferSize)
{
    private readonly Channel<WatchEventsResponse> _buffer = Channel.CreateBounded<WatchEventsResponse>(
        new BoundedChannelOptions(bufferSize) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>The position up to which the watcher has had every change before joining the feed.</summary>
    public long SkipThrough { get; set; }

    /// <summary>Whether the buffer overflowed; the feed drops such a watcher.</summary>
    public bool FellBehind { get; private set; }

    /// <summary>The messages of the changes buffered for this watcher, shared with the other watchers.</summary>
    public ChannelReader<WatchEventsResponse> Changes => _buffer.Reader;

    /// <summary>
    /// Whether a change is for this watcher: after its start, and its event matches, or, for an
    /// update, matched before it (<paramref name="previous"/>): a watcher learns that an event
    /// left its filter.
    /// </summary>
    public bool Wants(EventChange change, Event e, Event? previous) =>
        change.Sequence > SkipThrough
        && (EventMatcher.Holds(where, e) || (previous is not null && EventMatcher.Holds(where, previous)));

    /// <summary>Buffers a change the feed found for this watcher, as its shared message; the feed calls it in position order.</summary>
    public void Offer(EventChange change, Event e, Event? previous, WatchEventsResponse message)
    {
        if (FellBehind || !Wants(change, e, previous))
        {
            return;
        }

        if (!_buffer.Writer.TryWrite(message))
        {
            FellBehind = true;
            _buffer.Writer.TryComplete(new WatcherFellBehindException());
        }
    }
}

/// <summary>A watcher's buffer overflowed: its reader is more than the buffer's size behind.</summary>
internal sealed class WatcherFellBehindException() : Exception("The watcher fell behind.");
