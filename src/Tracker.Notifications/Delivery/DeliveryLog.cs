using Microsoft.Extensions.Logging;

namespace Tracker.Notifications.Delivery;

/// <summary>The router's and the dispatcher's log messages (event ids 6100-6199). None carries a secret, a URL or a payload.</summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Warning, Message = "The notification router could not route the change log; it tries again at the next change or poll.")]
    public static partial void RoutingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Error, Message = "The change log was purged through {PurgedThrough} before the notification router routed past {RoutedThrough}: the changes in between were not notified. Keep Tracker:Watch:ChangeRetention longer than any outage of the router.")]
    public static partial void ChangesPurgedBeforeRouting(ILogger logger, long routedThrough, long purgedThrough);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Channel {Channel}'s stored filter no longer parses; it takes no changes until its filter is updated.")]
    public static partial void ChannelFilterInvalid(ILogger logger, string channel);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "The notification dispatcher could not lease or record messages; it tries again shortly.")]
    public static partial void DispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Warning, Message = "Channel {Channel} was disabled: it has failed without a success since {FailingSince:O} ({Reason}).")]
    public static partial void ChannelDisabled(ILogger logger, string channel, DateTimeOffset failingSince, string reason);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Information, Message = "Message {MessageId} to channel {Channel} failed for good after {Attempts} attempts: {Error}")]
    public static partial void MessageFailed(ILogger logger, string messageId, string channel, int attempts, string error);
}
