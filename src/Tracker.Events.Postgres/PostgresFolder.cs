using Npgsql;
using NpgsqlTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Folding;

namespace Tracker.Events.Postgres;

/// <summary>
/// Creates a keyed occurrence or folds it into the newest event of its key, in one transaction
/// that first takes a transaction-scoped advisory lock on the key: occurrences of one key, from
/// any connection or replica, are taken one at a time, so 100 concurrent creates give one event
/// with count 100. The insert and the replace are the store's own statements, change log included.
/// </summary>
internal sealed class PostgresFolder(NpgsqlDataSource dataSource)
{
    // Second part of the two-part advisory lock key is the key's hash; the first, "Fold", keeps
    // these locks apart from the migration's.
    private const int LockNamespace = 0x466F6C64;

    private const string FindByRequestIdSql = """
        SELECT document FROM events WHERE request_id = $1
        UNION ALL
        SELECT e.document FROM folded_requests f JOIN events e ON e.id = f.event_id WHERE f.request_id = $1
        LIMIT 1
        """;

    public async Task<Event> CreateOrFoldAsync(Event newEvent, string? requestId, TimeSpan window, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionDisposal = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionDisposal = transaction.ConfigureAwait(false);
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock($1, hashtext($2))", cancellationToken, LockNamespace, newEvent.AggregationKey).ConfigureAwait(false);

        if (requestId is not null && await QueryEventAsync(connection, FindByRequestIdSql, cancellationToken, requestId).ConfigureAwait(false) is { } first)
        {
            return first;
        }

        // A key is per service: the newest event of this key and service.
        var newest = await QueryEventAsync(connection, "SELECT document FROM events WHERE aggregation_key = $1 AND service = $2 ORDER BY seq DESC LIMIT 1", cancellationToken, newEvent.AggregationKey, newEvent.Attributes?.Service ?? string.Empty).ConfigureAwait(false);
        Event stored;
        if (newest is null || !EventFolding.Folds(newest, newEvent, window))
        {
            var insert = new NpgsqlCommand(PostgresEventStore.BatchInsertSql, connection);
            await using var insertDisposal = insert.ConfigureAwait(false);
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [newEvent.Id], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [requestId], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            PostgresEventRow.AddArrays(insert.Parameters, [newEvent]);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            stored = newEvent;
        }
        else
        {
            stored = EventFolding.Fold(newest, newEvent);
            var replace = new NpgsqlCommand(PostgresEventStore.ReplaceSql, connection);
            await using var replaceDisposal = replace.ConfigureAwait(false);
            replace.Parameters.Add(PostgresEventRow.Text(stored.Id));
            replace.Parameters.Add(PostgresEventRow.Text(newest.Etag));
            PostgresEventRow.AddValues(replace.Parameters, stored);
            await replace.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (requestId is not null)
            {
                await ExecuteAsync(connection, "INSERT INTO folded_requests (request_id, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", cancellationToken, requestId, stored.Id).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using var commandDisposal = command.ConfigureAwait(false);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Event?> QueryEventAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params string[] values)
    {
        var select = new NpgsqlCommand(sql, connection);
        await using var selectDisposal = select.ConfigureAwait(false);
        foreach (var value in values)
        {
            select.Parameters.Add(PostgresEventRow.Text(value));
        }

        return await PostgresEventStore.ReadSingleAsync(select, cancellationToken).ConfigureAwait(false);
    }
}
