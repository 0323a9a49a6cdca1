using Microsoft.Extensions.Logging;

namespace Tracker.Events.Retention;

/// <summary>Retention's log messages (event ids 4100-4199).</summary>
internal static partial class RetentionLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Retention is off: neither Retention:Default nor any Retention:Types entry is set, so events are kept forever.")]
    public static partial void Off(ILogger logger);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Retention is on ({Retentions}, after the last change); expired events are deleted every {Interval}, {BatchSize} per transaction.")]
    public static partial void On(ILogger logger, string retentions, TimeSpan interval, int batchSize);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Retention deleted {Count} events older than their retention ({ByType}) in {Seconds:0.0} s.")]
    public static partial void Deleted(ILogger logger, long count, string byType, double seconds);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Retention could not reach the event store; it tries again in {Interval}.")]
    public static partial void StoreUnavailable(ILogger logger, TimeSpan interval, Exception exception);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Error, Message = "Retention failed; it tries again in {Interval}.")]
    public static partial void Failed(ILogger logger, TimeSpan interval, Exception exception);
}
