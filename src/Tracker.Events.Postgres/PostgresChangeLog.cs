using Npgsql;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Postgres;

/// <summary>
/// Reads and purges the change log (event_changes, migration 4); the writing statements of
/// <see cref="PostgresEventStore"/> append to it. Each call is one statement.
/// </summary>
internal static class PostgresChangeLog
{
    /// <summary>The channel the change log's trigger notifies at each committed write (migration 4).</summary>
    public const string Channel = "tracker_event_changes";

    // Deletes the oldest rows older than the cutoff up to the first newer one (a clock step back
    // keeps rows, never drops a newer one), and raises purged_through to the last one deleted.
    private const string PurgeSql = """
        WITH oldest AS (
            SELECT seq, changed_at < $1 AS expired FROM event_changes ORDER BY seq LIMIT $2
        ),
        through AS (
            SELECT max(seq) AS seq FROM oldest
            WHERE expired AND seq < coalesce((SELECT min(seq) FROM oldest WHERE NOT expired), 9223372036854775807)
        ),
        purged AS (
            DELETE FROM event_changes WHERE seq <= (SELECT seq FROM through) RETURNING 1
        ),
        recorded AS (
            UPDATE event_sequence SET purged_through = greatest(purged_through, (SELECT seq FROM through))
            WHERE (SELECT seq FROM through) IS NOT NULL
        )
        SELECT count(*) FROM purged
        """;

    public static async Task<IReadOnlyList<EventChange>> ReadAsync(NpgsqlConnection connection, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        var select = new NpgsqlCommand(
            "SELECT seq, change_type, document, changed_at, previous_document FROM event_changes WHERE seq > $1 ORDER BY seq LIMIT $2", connection);
        await using var selectDisposal = select.ConfigureAwait(false);
        select.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSequence });
        select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var changes = new List<EventChange>();
        var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            changes.Add(new EventChange(
                reader.GetInt64(0),
                (ChangeType)reader.GetInt32(1),
                reader.GetFieldValue<byte[]>(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                await reader.IsDBNullAsync(4, cancellationToken).ConfigureAwait(false) ? null : reader.GetFieldValue<byte[]>(4)));
        }

        return changes;
    }

    public static async Task<ChangeLogBounds> BoundsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var select = new NpgsqlCommand("SELECT last_value, purged_through FROM event_sequence", connection);
        await using var selectDisposal = select.ConfigureAwait(false);
        var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new ChangeLogBounds(reader.GetInt64(0), reader.GetInt64(1))
            : throw new InvalidOperationException("event_sequence has no row: the schema is not migrated.");
    }

    public static async Task<int> PurgeAsync(NpgsqlConnection connection, DateTimeOffset cutoff, int limit, CancellationToken cancellationToken)
    {
        var purge = new NpgsqlCommand(PurgeSql, connection);
        await using var purgeDisposal = purge.ConfigureAwait(false);
        purge.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = cutoff.ToUniversalTime() });
        purge.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return (int)(long)(await purge.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
    }
}
