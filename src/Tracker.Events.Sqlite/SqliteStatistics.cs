using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Tracker.Events.Sqlite;

/// <summary>
/// Keeps the query planner's statistics (sqlite_stat1) current. Without them SQLite guesses that
/// any index narrows to ten rows, and a filter on service and environment, or on service and a
/// label, may walk a quarter of the table through the wrong index (bench scenario h). A sampled
/// ANALYZE (analysis_limit) is no better at scale: it reads the first rows of each index, which
/// for an index led by environment or type all hold one value, so every such index looked as
/// selective as a service's at 1,000,000 events (a three-term filter took 880 ms through the
/// environment index). So the ANALYZE is full, over the tables searches read, and runs only
/// when the statistics are missing or the events have grown or shrunk by a quarter since:
/// at start, and after the creates that make it so (at least <see cref="MinimumCreates"/>).
/// About 5 s per million events on this machine, amortised over the growth.
/// </summary>
internal sealed class SqliteStatistics(ILogger logger)
{
    /// <summary>The change in the number of events, as a share of those analysed, that makes the statistics stale.</summary>
    public const double StaleShare = 0.25;

    /// <summary>
    /// The fewest creates between two refreshes: a small store is analysed every 1,000 creates
    /// (tens of milliseconds each), and from 4,000 events on every quarter. With 10,000, a store
    /// of 20,000 events kept the statistics of its first 10,001, and a filtered ListEvents served
    /// about 40% fewer calls a second (bench j).
    /// </summary>
    public const int MinimumCreates = 1_000;

    private const string AnalyzeSql = "ANALYZE events; ANALYZE event_labels; ANALYZE event_resources; ANALYZE event_repeated_values;";

    // From here on a refresh takes about half a second or more: worth a line in the log.
    private const long LoggedFrom = 100_000;

    private long _eventsAnalyzed;
    private long _createdSinceRefresh;

    /// <summary>Counts created events; true when they make the statistics stale.</summary>
    public bool Count(int created)
    {
        _createdSinceRefresh += created;
        return _createdSinceRefresh >= Math.Max(MinimumCreates, (long)(_eventsAnalyzed * StaleShare));
    }

    /// <summary>At start: refreshes the statistics when they are missing or stale. Outside any transaction, under the write lock.</summary>
    public async Task RefreshIfStaleAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var events = await ScalarAsync(connection, "SELECT COUNT(*) FROM events", cancellationToken).ConfigureAwait(false);
        _eventsAnalyzed = await EventsAnalyzedAsync(connection, cancellationToken).ConfigureAwait(false);
        var stale = _eventsAnalyzed < 0 || Math.Abs(events - _eventsAnalyzed) > Math.Max(MinimumCreates, _eventsAnalyzed * StaleShare);
        if (stale && events > 0)
        {
            await AnalyzeAsync(connection, events, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>After the creates <see cref="Count"/> said made the statistics stale: a full ANALYZE. Outside any transaction, under the write lock.</summary>
    public Task RefreshAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        AnalyzeAsync(connection, Math.Max(0, _eventsAnalyzed) + _createdSinceRefresh, cancellationToken);

    /// <summary>Runs a full ANALYZE of the searched tables; <paramref name="events"/>, about how many there are, is for the log line only.</summary>
    private async Task AnalyzeAsync(SqliteConnection connection, long events, CancellationToken cancellationToken)
    {
        if (events >= LoggedFrom)
        {
            SqliteLog.RefreshingStatistics(logger, events);
        }

        var analyze = connection.CreateCommand();
        await using (analyze.ConfigureAwait(false))
        {
            analyze.CommandText = AnalyzeSql;
            await analyze.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        _eventsAnalyzed = await EventsAnalyzedAsync(connection, cancellationToken).ConfigureAwait(false);
        _createdSinceRefresh = 0;
    }

    /// <summary>The number of events the statistics were taken over (sqlite_stat1's first figure), or -1 when there are none.</summary>
    private static async Task<long> EventsAnalyzedAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var select = connection.CreateCommand();
        await using var selectDisposal = select.ConfigureAwait(false);
        select.CommandText = "SELECT stat FROM sqlite_stat1 WHERE tbl = 'events' AND stat IS NOT NULL LIMIT 1";
        try
        {
            var stat = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            return stat is not null && long.TryParse(stat.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var rows) ? rows : -1;
        }
        catch (SqliteException)
        {
            // No sqlite_stat1 yet: ANALYZE has never run on this file.
            return -1;
        }
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using var commandDisposal = command.ConfigureAwait(false);
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
    }
}
