using Microsoft.Extensions.Logging;

namespace Tracker.Events.Postgres;

internal static partial class PostgresLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Applied PostgreSQL migration {Version} ({Name}) in schema {Schema}")]
    public static partial void MigrationApplied(ILogger logger, int version, string name, string schema);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "PostgreSQL is unavailable during {Operation}; the pool's idle connections were cleared")]
    public static partial void Unavailable(ILogger logger, Exception exception, string operation);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "A pooled PostgreSQL connection was broken during {Operation}; retrying once on a new connection")]
    public static partial void RetryingOnNewConnection(ILogger logger, Exception exception, string operation);

    /// <summary>The migration's backfill of the search columns, e.g. "Indexing 1,000,000 events for search: 120,000 of 1,000,000".</summary>
    [LoggerMessage(EventId = 5105, Level = LogLevel.Information, Message = "Indexing {Total} events for search: {Indexed} of {Total}")]
    public static partial void IndexingForSearch(ILogger logger, string total, string indexed);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Debug, Message = "PostgreSQL did not answer the readiness probe")]
    public static partial void NotReachable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "Listening for change notifications failed; listening again in {DelaySeconds} s (watchers meanwhile poll the change log)")]
    public static partial void ListenFailed(ILogger logger, Exception exception, double delaySeconds);
}
