using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Watching;

namespace Tracker.Notifications.Delivery;

/// <summary>
/// The routing rule (README, "Notifications"): a change goes to a channel when the channel is
/// enabled and takes that change type, its filter (if any) matches the event, and either the
/// channel has a filter (it subscribes) or the event names the channel in
/// <c>attributes.notifications</c> with <c>attributes.notification: true</c>.
/// </summary>
public sealed class ChannelRouting
{
    private ChannelRouting(Channel channel, FilterNode? filter)
    {
        Channel = channel;
        Filter = filter;
    }

    /// <summary>The channel as stored.</summary>
    public Channel Channel { get; }

    /// <summary>The channel's compiled filter; null when it has none.</summary>
    public FilterNode? Filter { get; }

    /// <summary>
    /// The routing of a stored channel. Null when its stored filter no longer parses (the query
    /// language changed under it): such a channel takes nothing until its filter is fixed.
    /// </summary>
    public static ChannelRouting? Of(Channel channel)
    {
        if (string.IsNullOrEmpty(channel.Filter))
        {
            return new ChannelRouting(channel, null);
        }

        var parsed = Events.Querying.FilterParser.Parse(channel.Filter);
        return parsed.Node is { } node ? new ChannelRouting(channel, node) : null;
    }

    /// <summary>Whether a change of <paramref name="changeType"/> to <paramref name="e"/> goes to the channel.</summary>
    public bool Routes(ChangeType changeType, Event e)
    {
        if (Channel.Disabled || (Channel.ChangeTypes.Count > 0 && !Channel.ChangeTypes.Contains(changeType)))
        {
            return false;
        }

        if (Filter is not null)
        {
            return EventMatcher.Holds(Filter, e);
        }

        var attributes = e.Attributes;
        return attributes is not null && attributes.Notification && attributes.Notifications.Contains(Channel.Name);
    }
}
