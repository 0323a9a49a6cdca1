using Microsoft.Extensions.Logging;

namespace Tracker.Events.Sqlite;

internal static partial class SqliteLog
{
    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Indexing {Total:N0} events for search: {Done:N0} of {Total:N0}")]
    public static partial void IndexingForSearch(ILogger logger, long total, long done);
}
