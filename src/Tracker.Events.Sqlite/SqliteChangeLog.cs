using Microsoft.Data.Sqlite;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Sqlite;

/// <summary>
/// The change log's rows (event_changes, migration 4): appended inside a write transaction,
/// read by position, purged from the oldest. The commit time is SQLite's clock in microseconds
/// since the Unix epoch, at millisecond precision.
/// </summary>
internal static class SqliteChangeLog
{
    private const string NowMicros = "CAST(ROUND((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER) * 1000";

    public const string AppendSql = $"INSERT INTO event_changes (seq, change_type, doc, changed_at_us, previous_doc) VALUES ($seq, $change_type, $doc, {NowMicros}, $previous_doc)";

    /// <summary>Binds one change: the event as it is after the change (and, for an update, before it), at <paramref name="seq"/>.</summary>
    public static void Bind(SqliteCommand append, long seq, ChangeType type, byte[] document, byte[]? previous)
    {
        append.Parameters.Clear();
        append.Parameters.AddWithValue("$seq", seq);
        append.Parameters.AddWithValue("$change_type", (int)type);
        append.Parameters.AddWithValue("$doc", document);
        append.Parameters.AddWithValue("$previous_doc", (object?)previous ?? DBNull.Value);
    }

    public static async Task<IReadOnlyList<EventChange>> ReadAsync(SqliteConnection connection, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        var select = connection.CreateCommand();
        await using var selectDisposal = select.ConfigureAwait(false);
        select.CommandText = "SELECT seq, change_type, doc, changed_at_us, previous_doc FROM event_changes WHERE seq > $after ORDER BY seq LIMIT $limit";
        select.Parameters.AddWithValue("$after", afterSequence);
        select.Parameters.AddWithValue("$limit", limit);
        var changes = new List<EventChange>();
        var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            changes.Add(new EventChange(
                reader.GetInt64(0),
                (ChangeType)reader.GetInt32(1),
                reader.GetFieldValue<byte[]>(2),
                DateTimeOffset.UnixEpoch.AddTicks(reader.GetInt64(3) * 10),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<byte[]>(4)));
        }

        return changes;
    }

    public static async Task<ChangeLogBounds> BoundsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var select = connection.CreateCommand();
        await using var selectDisposal = select.ConfigureAwait(false);
        select.CommandText = "SELECT last_value, purged_through FROM event_sequence WHERE id = 1";
        var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new ChangeLogBounds(reader.GetInt64(0), reader.GetInt64(1))
            : throw new InvalidOperationException("event_sequence has no row: the schema is not migrated.");
    }

    /// <summary>
    /// Removes up to <paramref name="limit"/> of the oldest changes older than the cutoff, stopping
    /// at the first newer one (a clock step back keeps rows, never drops a newer one), and raises
    /// purged_through to the last one removed.
    /// </summary>
    public static async Task<int> PurgeAsync(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset cutoff, int limit, CancellationToken cancellationToken)
    {
        var cutoffMicros = (cutoff - DateTimeOffset.UnixEpoch).Ticks / 10;
        long? through = null;
        var count = 0;
        var oldest = connection.CreateCommand();
        await using (oldest.ConfigureAwait(false))
        {
            oldest.Transaction = transaction;
            oldest.CommandText = "SELECT seq, changed_at_us FROM event_changes ORDER BY seq LIMIT $limit";
            oldest.Parameters.AddWithValue("$limit", limit);
            var reader = await oldest.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetInt64(1) < cutoffMicros)
            {
                through = reader.GetInt64(0);
                count++;
            }
        }

        if (through is not { } last)
        {
            return 0;
        }

        var delete = connection.CreateCommand();
        await using var deleteDisposal = delete.ConfigureAwait(false);
        delete.Transaction = transaction;
        delete.CommandText = """
            DELETE FROM event_changes WHERE seq <= $through;
            UPDATE event_sequence SET purged_through = max(purged_through, $through) WHERE id = 1;
            """;
        delete.Parameters.AddWithValue("$through", last);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }
}
