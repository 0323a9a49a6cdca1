using Npgsql;
using NpgsqlTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Postgres;

/// <summary>
/// The one statement that deletes events, for DeleteEvent (one id) and for retention (a batch of
/// expired ids): <see cref="Sql"/>, the WITH part, to which the caller adds its SELECT. Each event
/// deleted goes to the change log as a DELETED change with its last stored document, at a position
/// taken from the commit counter, which the statement locks before any event row (the lock order
/// of every writing statement, see PostgresEventStore.ReplaceSql). Search words, labels and the
/// other searched values are columns of the row, so they go with it.
/// </summary>
internal static class PostgresDeletion
{
    /// <summary>
    /// Parameters: $1 text[] the ids, in the order their changes take positions; $2 text[] for each,
    /// the etag it must still have, or NULL; $3 bigint[] for each, the updated_at_us it must still
    /// be before, or NULL (an event changed since it was found expired is kept). The counter moves by
    /// the number of ids: a position whose event was not deleted is a gap, never a repeat. Defines
    /// "deleted" (id, type, document) for the caller's SELECT.
    /// </summary>
    public static readonly string Sql = $"""
        WITH counter AS (
            UPDATE event_sequence SET last_value = last_value + cardinality($1::text[]) RETURNING last_value
        ),
        deleted AS (
            DELETE FROM events e
            USING unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS t(id, etag, updated_before, ordinal)
            WHERE e.id = t.id
                AND (t.etag IS NULL OR e.etag = t.etag)
                AND (t.updated_before IS NULL OR e.updated_at_us < t.updated_before)
                AND EXISTS (SELECT 1 FROM counter)
            RETURNING e.id, e.type, e.document, t.ordinal
        ),
        logged AS (
            INSERT INTO event_changes (seq, change_type, document)
            SELECT counter.last_value - cardinality($1::text[]) + deleted.ordinal, {(int)ChangeType.Deleted}, deleted.document
            FROM deleted, counter
        )
        """;

    // The oldest expired events of each type, read from the start of its range of
    // events_expiry_type_updated_at (migration 5), then the oldest $3 of them all. Rows not yet
    // indexed (seq NULL, updated_at_us still 0) are left out.
    internal const string FindExpiredSql = """
        SELECT x.id, x.updated_before FROM unnest($1::integer[], $2::bigint[]) AS c(type, before)
        CROSS JOIN LATERAL (
            SELECT id, updated_at_us, c.before AS updated_before FROM events
            WHERE type = c.type AND updated_at_us < c.before AND seq IS NOT NULL
            ORDER BY updated_at_us LIMIT $3
        ) AS x
        ORDER BY x.updated_at_us, x.id LIMIT $3
        """;

    private static readonly string DeleteExpiredSql = $"""
        {Sql}
        SELECT type, count(*) FROM deleted GROUP BY type
        """;

    /// <summary>An event to delete: its id, and the etag it must still have and the updated_at_us it must still be before, when given.</summary>
    public sealed record Target(string Id, string? Etag, long? UpdatedBefore);

    /// <summary>Adds $1, $2 and $3 of <see cref="Sql"/>.</summary>
    public static void AddTargets(NpgsqlParameterCollection parameters, IReadOnlyList<Target> targets)
    {
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = targets.Select(t => t.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = targets.Select(t => t.Etag).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<long?[]> { TypedValue = targets.Select(t => t.UpdatedBefore).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
    }

    /// <summary>
    /// Finds at most <paramref name="limit"/> expired events (a read that locks nothing), then
    /// deletes those still expired in one statement, its own transaction. Returns how many went per type.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Type, int>> DeleteExpiredAsync(NpgsqlConnection connection, IReadOnlyList<ExpiryCutoff> cutoffs, int limit, CancellationToken cancellationToken)
    {
        var deleted = new Dictionary<Type, int>();
        if (cutoffs.Count == 0 || limit <= 0)
        {
            return deleted;
        }

        var targets = new List<Target>();
        var find = new NpgsqlCommand(FindExpiredSql, connection);
        await using (find.ConfigureAwait(false))
        {
            find.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = cutoffs.Select(c => (int)c.Type).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            find.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = cutoffs.Select(c => c.UpdatedBeforeMicros).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            find.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                targets.Add(new Target(reader.GetString(0), null, reader.GetInt64(1)));
            }
        }

        if (targets.Count == 0)
        {
            return deleted;
        }

        var delete = new NpgsqlCommand(DeleteExpiredSql, connection);
        await using var deleteDisposal = delete.ConfigureAwait(false);
        AddTargets(delete.Parameters, targets);
        var counts = await delete.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var countsDisposal = counts.ConfigureAwait(false);
        while (await counts.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            deleted[(Type)counts.GetInt32(0)] = (int)counts.GetInt64(1);
        }

        return deleted;
    }
}
