using Microsoft.Extensions.Logging;

namespace Tracker.Events;

/// <summary>The EventService's log messages (source-generated).</summary>
internal static partial class EventLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "The event store is unavailable during {Method}.")]
    public static partial void StoreUnavailable(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Event store schema is up to date.")]
    public static partial void StoreMigrated(ILogger logger);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "{Method} ended early: its client cancelled or left, or its deadline passed.")]
    public static partial void CallCancelled(ILogger logger, string method);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Update of event {EventId} lost {Attempts} races with concurrent writers.")]
    public static partial void UpdateContention(ILogger logger, string eventId, int attempts);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "{Method} of event {EventId} by {Caller}: {Outcome}.")]
    public static partial void EventWritten(ILogger logger, string method, string eventId, string caller, string outcome);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "{Method} of channel {Channel} by {Caller}: {Outcome}.")]
    public static partial void ChannelWritten(ILogger logger, string method, string channel, string caller, string outcome);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "{Method}: the caller's credentials could not be checked.")]
    public static partial void CallerCheckUnavailable(ILogger logger, string method, Exception exception);
}
