using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Storage.Sql;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Postgres;

/// <summary>
/// The PostgreSQL store: one row per event in the events table of the connection string's
/// Search Path schema, with a column for every searchable field (<see cref="PostgresEventRow"/>) and
/// its commit position (seq) from the one-row counter event_sequence. Every call is one
/// statement on a pooled connection (a second one only to read back the first event of a
/// repeated request id, and for retention, whose read of the expired ids comes first; see
/// <see cref="PostgresDeletion"/>); concurrent creates share one INSERT (<see cref="CreateBatcher{TOutcome}"/>);
/// a query is one statement too (<see cref="PostgresPageQuery"/>), or with words a few bounded ones
/// (<see cref="PostgresFullTextSearch"/>). Failures that mean PostgreSQL cannot
/// serve now become <see cref="StoreUnavailableException"/>, and the pool is cleared of its idle
/// connections so that the calls after PostgreSQL comes back open fresh ones.
/// </summary>
public sealed class PostgresEventStore : IEventStore
{
    // One row per element of the array parameters; rows whose id or request id is taken are
    // skipped, and RETURNING tells which went in. The batch takes its seq numbers from the
    // commit counter, whose row stays locked until this statement's transaction commits: a
    // batch that commits later gets larger numbers (a skipped row leaves a gap, never a repeat).
    // Each inserted row's change goes to the change log at the event's own seq.
    internal static readonly string BatchInsertSql = $"""
        WITH counter AS (
            UPDATE event_sequence SET last_value = last_value + cardinality($1::text[]) RETURNING last_value
        ),
        inserted AS (
            INSERT INTO events (id, request_id, {PostgresEventRow.ColumnList()}, seq)
            SELECT r.id, r.request_id, {PostgresEventRow.ColumnList("r.")}, counter.last_value - cardinality($1::text[]) + r.ordinal
            FROM counter, unnest($1::text[], $2::text[], {PostgresEventRow.UnnestArguments(3)})
                WITH ORDINALITY AS r(id, request_id, {PostgresEventRow.ColumnList()}, ordinal)
            ON CONFLICT DO NOTHING RETURNING id, seq, document
        ),
        logged AS (
            INSERT INTO event_changes (seq, change_type, document) SELECT seq, {(int)ChangeType.Created}, document FROM inserted
        )
        SELECT id FROM inserted
        """;

    // Every column but seq, which keeps the event's commit position. The change takes the next
    // position. Every writing statement locks the counter before any event row (here the
    // EXISTS pulls the counter's CTE before the row is updated): a create that takes the
    // counter and then meets this row's lock through a request id, while this update waits for
    // the counter, would otherwise deadlock. A position taken when no row matches is a gap.
    internal static readonly string ReplaceSql = $"""
        WITH counter AS (
            UPDATE event_sequence SET last_value = last_value + 1 RETURNING last_value
        ),
        prior AS (
            -- The statement's snapshot: the version the update replaces, since an update that
            -- succeeds found the same etag, and every update changes it.
            SELECT document FROM events WHERE id = $1 AND etag = $2
        ),
        updated AS (
            UPDATE events SET {string.Join(", ", PostgresEventRow.ValueColumns.Select((column, i) => FormattableString.Invariant($"{column} = ${i + 3}")))}
            WHERE id = $1 AND etag = $2 AND EXISTS (SELECT 1 FROM counter) RETURNING document
        ),
        logged AS (
            INSERT INTO event_changes (seq, change_type, document, previous_document)
            SELECT counter.last_value, {(int)ChangeType.Updated}, updated.document, (SELECT document FROM prior) FROM updated, counter
        )
        SELECT count(*) FROM updated
        """;

    // One delete, by id and optionally etag (see PostgresDeletion); the CTE's delete is invisible
    // to the outer query, which so tells whether the row existed.
    private static readonly string DeleteSql = $"""
        {PostgresDeletion.Sql}
        SELECT EXISTS (SELECT 1 FROM deleted), EXISTS (SELECT 1 FROM events WHERE id = ANY($1))
        """;

    private static readonly TimeSpan ReachabilityTimeout = TimeSpan.FromSeconds(3);

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgresEventStore> _logger;
    private readonly CreateBatcher<bool> _creates;

    public PostgresEventStore(NpgsqlDataSource dataSource, ILogger<PostgresEventStore> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        _creates = new CreateBatcher<bool>(InsertBatchAsync, maxWritersInFlight: 2);
    }

    public Task MigrateAsync(CancellationToken cancellationToken) =>
        RunAsync("migrate", retryOnBrokenConnection: true, async ct =>
        {
            await new PostgresMigrator(_dataSource, _logger).MigrateAsync(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public async Task<Event> CreateAsync(Event newEvent, string? requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newEvent);
        ArgumentException.ThrowIfNullOrEmpty(newEvent.Id, nameof(newEvent));

        // The first event of a request id may be deleted between our conflict and our read:
        // its request id is then free again, and inserting anew is right.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await _creates.InsertAsync(newEvent, requestId).WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                return newEvent;
            }

            var stored = await RunAsync("create", retryOnBrokenConnection: true, async ct =>
            {
                var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                await using var connectionDisposal = connection.ConfigureAwait(false);
                return await ReadConflictingAsync(connection, newEvent.Id, requestId, ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            if (stored is not null)
            {
                return stored;
            }
        }

        throw new StoreUnavailableException("The event stored under this request id kept changing; retry.");
    }

    public Task<Event> CreateOrFoldAsync(Event newEvent, string? requestId, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newEvent);
        ArgumentException.ThrowIfNullOrEmpty(newEvent.AggregationKey, nameof(newEvent));

        // Not retried: had the first attempt committed, a retry would fold the occurrence twice.
        return RunAsync("create or fold", retryOnBrokenConnection: false, ct => new PostgresFolder(_dataSource).CreateOrFoldAsync(newEvent, requestId, window, ct), cancellationToken);
    }

    public Task<Event?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return RunAsync("get", retryOnBrokenConnection: true, async ct =>
        {
            var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var connectionDisposal = connection.ConfigureAwait(false);
            var select = new NpgsqlCommand("SELECT document FROM events WHERE id = $1", connection);
            await using var selectDisposal = select.ConfigureAwait(false);
            select.Parameters.Add(PostgresEventRow.Text(id));
            return await ReadSingleAsync(select, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<bool> ReplaceAsync(Event updated, string expectedEtag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(expectedEtag);

        // Not retried: had the first attempt landed, a retry would wrongly report a conflict.
        return RunAsync("replace", retryOnBrokenConnection: false, async ct =>
        {
            var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var connectionDisposal = connection.ConfigureAwait(false);
            var update = new NpgsqlCommand(ReplaceSql, connection);
            await using var updateDisposal = update.ConfigureAwait(false);
            update.Parameters.Add(PostgresEventRow.Text(updated.Id));
            update.Parameters.Add(PostgresEventRow.Text(expectedEtag));
            PostgresEventRow.AddValues(update.Parameters, updated);
            return await update.ExecuteScalarAsync(ct).ConfigureAwait(false) is 1L;
        }, cancellationToken);
    }

    public Task<DeleteOutcome> DeleteAsync(string id, string? expectedEtag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return RunAsync("delete", retryOnBrokenConnection: false, async ct =>
        {
            var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var connectionDisposal = connection.ConfigureAwait(false);
            var delete = new NpgsqlCommand(DeleteSql, connection);
            await using var deleteDisposal = delete.ConfigureAwait(false);
            PostgresDeletion.AddTargets(delete.Parameters, [new PostgresDeletion.Target(id, expectedEtag, null)]);
            var reader = await delete.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            var deleted = reader.GetBoolean(0);
            var existed = reader.GetBoolean(1);
            return deleted ? DeleteOutcome.Deleted
                : existed && expectedEtag is not null ? DeleteOutcome.EtagMismatch
                : DeleteOutcome.NotFound;
        }, cancellationToken);
    }

    public Task<IReadOnlyDictionary<Type, int>> DeleteExpiredAsync(IReadOnlyList<ExpiryCutoff> cutoffs, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);

        // Not retried: had the delete landed, a retry would find nothing and under-count; the next run goes on.
        return RunAsync("delete expired", retryOnBrokenConnection: false, async ct =>
        {
            var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var connectionDisposal = connection.ConfigureAwait(false);
            return await PostgresDeletion.DeleteExpiredAsync(connection, cutoffs, limit, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return RunAsync("query", retryOnBrokenConnection: true, async ct =>
        {
            var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var connectionDisposal = connection.ConfigureAwait(false);
            if (PostgresFullTextSearch.Applies(query))
            {
                return await PostgresFullTextSearch.QueryAsync(connection, query, ct).ConfigureAwait(false);
            }

            var select = PostgresPageQuery.Build(query);
            await using var selectDisposal = select.ConfigureAwait(false);
            select.Connection = connection;
            var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            var events = new List<StoredEvent>();
            long total = 0;
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                total = reader.GetInt64(0);
                if (!await reader.IsDBNullAsync(1, ct).ConfigureAwait(false))
                {
                    // A row that a replica still on migration 2 wrote has no seq until the next
                    // migration's backfill gives it one: it has no position to walk from yet.
                    var sequence = await reader.IsDBNullAsync(2, ct).ConfigureAwait(false) ? 0 : reader.GetInt64(2);
                    events.Add(new StoredEvent(reader.GetFieldValue<byte[]>(1), sequence));
                }
            }

            return SqlCount.Page(events, total, query.CountLimit);
        }, cancellationToken);
    }

    public Task<long?> FindSequenceAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return RunAsync("find sequence", retryOnBrokenConnection: true, async ct =>
        {
            var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var connectionDisposal = connection.ConfigureAwait(false);
            var select = new NpgsqlCommand("SELECT seq FROM events WHERE id = $1", connection);
            await using var selectDisposal = select.ConfigureAwait(false);
            select.Parameters.Add(PostgresEventRow.Text(id));
            return await select.ExecuteScalarAsync(ct).ConfigureAwait(false) is long sequence ? sequence : (long?)null;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<EventChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        RunAsync("read changes", retryOnBrokenConnection: true, async ct =>
        {
            var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var connectionDisposal = connection.ConfigureAwait(false);
            return await PostgresChangeLog.ReadAsync(connection, afterSequence, limit, ct).ConfigureAwait(false);
        }, cancellationToken);

    public Task<ChangeLogBounds> GetChangeLogBoundsAsync(CancellationToken cancellationToken) =>
        RunAsync("read change log bounds", retryOnBrokenConnection: true, async ct =>
        {
            var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var connectionDisposal = connection.ConfigureAwait(false);
            return await PostgresChangeLog.BoundsAsync(connection, ct).ConfigureAwait(false);
        }, cancellationToken);

    public Task<int> PurgeChangesAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        RunAsync("purge changes", retryOnBrokenConnection: true, async ct =>
        {
            var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var connectionDisposal = connection.ConfigureAwait(false);
            return await PostgresChangeLog.PurgeAsync(connection, cutoff, limit, ct).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReachabilityTimeout);
        try
        {
            var connection = await _dataSource.OpenConnectionAsync(timeout.Token).ConfigureAwait(false);
            await using var connectionDisposal = connection.ConfigureAwait(false);
            var probe = new NpgsqlCommand("SELECT 1", connection);
            await using var probeDisposal = probe.ConfigureAwait(false);
            await probe.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _dataSource.Clear();
            PostgresLog.NotReachable(_logger, new TimeoutException($"No answer within {ReachabilityTimeout.TotalSeconds} s."));
            return false;
        }
        catch (Exception exception) when (exception is NpgsqlException or SocketException or IOException or TimeoutException)
        {
            // Any failure here means "not ready", including bad credentials or a missing database.
            _dataSource.Clear();
            PostgresLog.NotReachable(_logger, exception);
            return false;
        }
    }

    /// <summary>Inserts a batch of creates in one statement, and tells each whether its row went in (false: its request id or id was taken).</summary>
    private async Task InsertBatchAsync(IReadOnlyList<PendingCreate<bool>> batch)
    {
        var inserted = await InsertRowsAsync(batch).ConfigureAwait(false);
        foreach (var pending in batch)
        {
            pending.Complete(inserted.Contains(pending.Event.Id));
        }
    }

    // Safe to retry: a repeat of a batch that landed conflicts, and each create then reads its row.
    private Task<IReadOnlySet<string>> InsertRowsAsync(IReadOnlyList<PendingCreate<bool>> batch) =>
        RunAsync<IReadOnlySet<string>>("create", retryOnBrokenConnection: true, async ct =>
        {
            var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var connectionDisposal = connection.ConfigureAwait(false);
            var insert = new NpgsqlCommand(BatchInsertSql, connection);
            await using var insertDisposal = insert.ConfigureAwait(false);
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = batch.Select(p => p.Event.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = batch.Select(p => p.RequestId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            PostgresEventRow.AddArrays(insert.Parameters, batch.Select(p => p.Event).ToArray());
            var inserted = new HashSet<string>(StringComparer.Ordinal);
            var reader = await insert.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                inserted.Add(reader.GetString(0));
            }

            return inserted;
        }, CancellationToken.None);

    // The row that took the request id (or, on a retry, the id itself).
    private static async Task<Event?> ReadConflictingAsync(NpgsqlConnection connection, string id, string? requestId, CancellationToken cancellationToken)
    {
        var select = new NpgsqlCommand(
            requestId is null
                ? "SELECT document FROM events WHERE id = $1"
                : "SELECT document FROM events WHERE request_id = $2 OR id = $1 LIMIT 1",
            connection);
        await using var selectDisposal = select.ConfigureAwait(false);
        select.Parameters.Add(PostgresEventRow.Text(id));
        if (requestId is not null)
        {
            select.Parameters.Add(PostgresEventRow.Text(requestId));
        }

        return await ReadSingleAsync(select, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<Event?> ReadSingleAsync(NpgsqlCommand select, CancellationToken cancellationToken)
    {
        var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? PostgresEventRow.Read(reader, 0) : null;
    }

    /// <summary>
    /// Runs one store call. A connection taken from the pool may have died while idle (PostgreSQL
    /// restarted): calls that are safe to repeat get one more try on a new connection.
    /// </summary>
    private async Task<T> RunAsync<T>(string operation, bool retryOnBrokenConnection, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested && PostgresFaults.IsUnavailable(exception))
            {
                _dataSource.Clear();
                if (attempt == 1 && retryOnBrokenConnection && PostgresFaults.IsBrokenConnection(exception))
                {
                    PostgresLog.RetryingOnNewConnection(_logger, exception, operation);
                    continue;
                }

                PostgresLog.Unavailable(_logger, exception, operation);
                throw new StoreUnavailableException("PostgreSQL is unavailable.", exception);
            }
        }
    }
}
