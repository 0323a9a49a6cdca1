using Microsoft.Data.Sqlite;

namespace Tracker.Events.Sqlite;

/// <summary>
/// Keeps the query planner's statistics (sqlite_stat1) current. Without them SQLite guesses that
/// any index narrows to ten rows, and a filter on service and environment, or on service and a
/// label, may walk a quarter of the table through the wrong index (bench scenario h, measured
/// in bench/analysis.md). ANALYZE runs sampled (analysis_limit), so it takes milliseconds even
/// on a million events: when the store starts, and again each time the events have grown by
/// <see cref="RefreshEvery"/> creates, so a store that starts empty gets statistics as it fills.
/// </summary>
internal sealed class SqliteStatistics
{
    /// <summary>Creates between two refreshes.</summary>
    public const int RefreshEvery = 50_000;

    private const int RowsSampledPerIndex = 1000;
    private long _createdSinceRefresh;

    /// <summary>Counts created events; true when it is time to refresh.</summary>
    public bool Count(int created)
    {
        _createdSinceRefresh += created;
        return _createdSinceRefresh >= RefreshEvery;
    }

    /// <summary>Runs a sampled ANALYZE; outside any transaction, under the write lock.</summary>
    public async Task RefreshAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = $"PRAGMA analysis_limit = {RowsSampledPerIndex}; ANALYZE;";
        await analyze.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        _createdSinceRefresh = 0;
    }
}
