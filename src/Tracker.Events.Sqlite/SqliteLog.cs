using Microsoft.Extensions.Logging;

namespace Tracker.Events.Sqlite;

internal static partial class SqliteLog
{
    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Indexing {Total:N0} events for search: {Done:N0} of {Total:N0}")]
    public static partial void IndexingForSearch(ILogger logger, long total, long done);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "The query planner's statistics were not refreshed; searches keep the older plans")]
    public static partial void StatisticsNotRefreshed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Information, Message = "Refreshing the query planner's statistics over {Events:N0} events (a full ANALYZE, some seconds per million events)")]
    public static partial void RefreshingStatistics(ILogger logger, long events);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Information, Message = "Rebuilding the full-text index: through seq {Done:N0} of {Through:N0}")]
    public static partial void RebuildingFullText(ILogger logger, long done, long through);
}
