using Microsoft.Extensions.Logging;

namespace Tracker.Events.Watching;

/// <summary>The watch machinery's log messages (event ids 4000-4099).</summary>
internal static partial class WatchLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "The change feed could not read the change log; it tries again at the next change or poll.")]
    public static partial void FeedReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "A watcher fell more than {BufferSize} changes behind and was ended; it resumes after change {LastChangeId}.")]
    public static partial void WatcherFellBehind(ILogger logger, int bufferSize, string lastChangeId);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Purged {Count} changes older than {Cutoff:O} from the change log.")]
    public static partial void ChangesPurged(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "The change log could not be purged; it is tried again in an hour.")]
    public static partial void PurgeFailed(ILogger logger, Exception exception);
}
