using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Folding;
using Tracker.Events.Storage;
using Tracker.Events.Storage.Sql;

namespace Tracker.Events.Sqlite;

/// <summary>
/// The embedded event store: one SQLite file holding each event as its protobuf bytes plus a
/// column per searchable field, side tables for the fields with many values and an FTS5 index
/// of title and message (see <see cref="SqliteMigrations"/>). Writes run in BEGIN IMMEDIATE
/// transactions (the write lock is taken up front, so a transaction never fails half-way on a
/// lock upgrade) and, within this process, one at a time, so concurrent callers queue instead of
/// spinning on SQLITE_BUSY; creates that queue meanwhile share one transaction (group commit,
/// <see cref="CreateBatcher{TOutcome}"/>).
/// Each create takes the next seq inside its transaction, so seqs follow the commit order. Reads
/// run in their own snapshot and never wait for the writer (WAL).
/// </summary>
public sealed class SqliteEventStore : IEventStore, IDisposable
{
    private readonly SqliteConnectionFactory _connections;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SqliteWriteConnection _writer;
    private readonly SqliteStatistics _statistics;
    private readonly CreateBatcher<Event> _creates;

    /// <summary>
    /// The most full-text matches a query sorts itself (<see cref="SqliteFullTextPlan"/>); with
    /// more, it walks the order's index. Tests lower it to reach both plans with a few events.
    /// </summary>
    internal int FullTextSortCap { get; init; } = SqliteFullTextPlan.DefaultSortCap;

    /// <summary>
    /// The most rows a filter keeps for a common word's count to run in one statement
    /// (<see cref="SqliteFullTextPlan"/>); with more, the walk counts. Tests lower it to reach both.
    /// </summary>
    internal int FullTextMembershipRows { get; init; } = SqliteFullTextPlan.DefaultMembershipRows;

    /// <summary>A store on the file of <paramref name="connectionString"/>, which logs nothing.</summary>
    public SqliteEventStore(string connectionString)
        : this(connectionString, NullLogger<SqliteEventStore>.Instance)
    {
    }

    /// <summary>A store on the file of <paramref name="connectionString"/>; the migration logs its progress to <paramref name="logger"/>.</summary>
    public SqliteEventStore(string connectionString, ILogger<SqliteEventStore> logger)
    {
        _connections = new SqliteConnectionFactory(connectionString);
        _writer = new SqliteWriteConnection(_connections);
        _logger = logger;
        _statistics = new SqliteStatistics(logger);
        _creates = new CreateBatcher<Event>(WriteCreatesAsync, maxWritersInFlight: 1);
    }

    /// <summary>
    /// Checks that SQLite is recent enough (<see cref="SqliteVersion"/>: an
    /// <see cref="InvalidOperationException"/> otherwise), applies the schema steps not yet
    /// applied, in one transaction, then fills the full-text index that step 7 recreated
    /// (<see cref="SqliteSearchRebuild"/>) and indexes the events written before step 3 for search (in batches, resumable; see <see cref="SqliteSearchBackfill"/>).
    /// Returns when both are done.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await WriteAsync(
            async (connection, transaction) =>
            {
                await SqliteVersion.RequireAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                await SqliteMigrator.ApplySchemaChangesAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);

        await new SqliteSearchRebuild(_logger)
            .RunAsync(work => WriteAsync(work, cancellationToken), cancellationToken)
            .ConfigureAwait(false);

        await new SqliteSearchBackfill(_logger)
            .RunAsync(work => WriteAsync(work, cancellationToken), cancellationToken)
            .ConfigureAwait(false);

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await _writer.GetAsync(cancellationToken).ConfigureAwait(false);
            await _statistics.RefreshIfStaleAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (SqliteFaults.IsUnavailable(e))
        {
            _writer.Drop();
            throw SqliteFaults.Unavailable(e);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public Task<Event> CreateAsync(Event newEvent, string? requestId, CancellationToken cancellationToken) =>
        // Group commit: the batcher's one writer loop writes every create waiting by then in one
        // transaction, one fsync for all; this returns once ours was committed.
        _creates.InsertAsync(newEvent, requestId).WaitAsync(cancellationToken);

    public Task<Event> CreateOrFoldAsync(Event newEvent, string? requestId, TimeSpan window, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                var writer = _writer.EventWriter(transaction);
                if (requestId is not null && await writer.FindByRequestIdAsync(requestId, cancellationToken).ConfigureAwait(false) is { } first)
                {
                    return Event.Parser.ParseFrom(first);
                }

                // One writer at a time: nothing else can fold into or create this key meanwhile.
                var newest = await writer.FindNewestOfKeyAsync(newEvent.AggregationKey, newEvent.Attributes?.Service ?? string.Empty, cancellationToken).ConfigureAwait(false);
                if (newest is null || !EventFolding.Folds(newest, newEvent, window))
                {
                    await writer.InsertAsync(newEvent, requestId, cancellationToken).ConfigureAwait(false);
                    return newEvent;
                }

                var folded = EventFolding.Fold(newest, newEvent);
                await writer.ReplaceAsync(folded, newest.Etag, cancellationToken).ConfigureAwait(false);
                if (requestId is not null)
                {
                    await writer.RecordFoldedRequestAsync(requestId, folded.Id, cancellationToken).ConfigureAwait(false);
                }

                return folded;
            },
            cancellationToken);

    public Task<Event?> GetAsync(string id, CancellationToken cancellationToken) =>
        ReadAsync(
            async connection =>
            {
                var select = Command(connection, null, "SELECT doc FROM events WHERE id = $id");
                await using var selectDisposal = select.ConfigureAwait(false);
                select.Parameters.AddWithValue("$id", id);
                return await ReadEventAsync(select, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    public Task<bool> ReplaceAsync(Event updated, string expectedEtag, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                var writer = _writer.EventWriter(transaction);
                return await writer.ReplaceAsync(updated, expectedEtag, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    public Task<DeleteOutcome> DeleteAsync(string id, string? expectedEtag, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                var writer = _writer.EventWriter(transaction);
                return await writer.DeleteAsync(id, expectedEtag, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    public Task<IReadOnlyDictionary<Api.V1Alpha1.Type, int>> DeleteExpiredAsync(IReadOnlyList<ExpiryCutoff> cutoffs, int limit, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                var writer = _writer.EventWriter(transaction);
                return await writer.DeleteExpiredAsync(cutoffs, limit, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    public Task<IReadOnlyList<EventChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        ReadAsync(connection => SqliteChangeLog.ReadAsync(connection, afterSequence, limit, cancellationToken), cancellationToken);

    public Task<ChangeLogBounds> GetChangeLogBoundsAsync(CancellationToken cancellationToken) =>
        ReadAsync(connection => SqliteChangeLog.BoundsAsync(connection, cancellationToken), cancellationToken);

    public Task<int> PurgeChangesAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) => SqliteChangeLog.PurgeAsync(connection, transaction, cutoff, limit, cancellationToken), cancellationToken);

    public Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken) =>
        ReadAsync(
            async connection =>
            {
                // One read transaction: the count and the page see the same snapshot.
                var transaction = connection.BeginTransaction(deferred: true);
                await using var transactionDisposal = transaction.ConfigureAwait(false);
                if (SqliteFullTextPlan.Applies(query))
                {
                    var found = await SqliteFullTextPlan.RunAsync(connection, transaction, query, FullTextSortCap, FullTextMembershipRows, cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return found;
                }

                var count = Command(connection, transaction, string.Empty);
                await using var countDisposal = count.ConfigureAwait(false);
                var page = Command(connection, transaction, string.Empty);
                await using var pageDisposal = page.ConfigureAwait(false);
                SqlitePageQuery.Build(query, count, page);

                var total = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
                var events = new List<StoredEvent>(Math.Min(query.Limit, 1024));
                var reader = await page.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        events.Add(new StoredEvent(reader.GetFieldValue<byte[]>(0), reader.GetInt64(1)));
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return SqlCount.Page(events, total, query.CountLimit);
            },
            cancellationToken);

    public Task<long?> FindSequenceAsync(string id, CancellationToken cancellationToken) =>
        ReadAsync(
            async connection =>
            {
                var select = Command(connection, null, "SELECT seq FROM events WHERE id = $id");
                await using var selectDisposal = select.ConfigureAwait(false);
                select.Parameters.AddWithValue("$id", id);
                return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long seq ? seq : (long?)null;
            },
            cancellationToken);

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionDisposal = connection.ConfigureAwait(false);
            var ping = Command(connection, null, "SELECT 1");
            await using var pingDisposal = ping.ConfigureAwait(false);
            return await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is 1L;
        }
        catch (Exception e) when (SqliteFaults.IsUnavailable(e) || e is SqliteException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        _writeGate.Dispose();
    }

    /// <summary>Runs <paramref name="read"/> on a pooled connection of its own; the store's other tables (notifications) read through it too.</summary>
    internal async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionDisposal = connection.ConfigureAwait(false);
            return await read(connection).ConfigureAwait(false);
        }
        catch (Exception e) when (SqliteFaults.IsUnavailable(e))
        {
            throw SqliteFaults.Unavailable(e);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> in a BEGIN IMMEDIATE transaction on the one write connection,
    /// behind the write gate, and commits it; the store's other tables (notifications) write
    /// through it too, so that they queue with the events' writes instead of contending for
    /// SQLite's lock.
    /// </summary>
    internal async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await _writer.GetAsync(cancellationToken).ConfigureAwait(false);
            var transaction = connection.BeginTransaction(deferred: false);
            await using var transactionDisposal = transaction.ConfigureAwait(false);
            var result = await write(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception e) when (SqliteFaults.IsUnavailable(e))
        {
            _writer.Drop();
            throw SqliteFaults.Unavailable(e);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Writes one batch of the create batcher in one BEGIN IMMEDIATE transaction on the write
    /// connection, behind the write gate, and answers each create once it committed.
    /// </summary>
    private async Task WriteCreatesAsync(IReadOnlyList<PendingCreate<Event>> batch)
    {
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            var stored = new Event[batch.Count];
            var connection = await _writer.GetAsync(CancellationToken.None).ConfigureAwait(false);
            var transaction = connection.BeginTransaction(deferred: false);
            await using (transaction.ConfigureAwait(false))
            {
                var writer = _writer.EventWriter(transaction);
                for (var i = 0; i < batch.Count; i++)
                {
                    stored[i] = await InsertOrFindAsync(writer, batch[i]).ConfigureAwait(false);
                }

                await transaction.CommitAsync().ConfigureAwait(false);
            }

            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Complete(stored[i]);
            }

            if (_statistics.Count(batch.Count))
            {
                await RefreshStatisticsAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            _writer.Drop();
            var failure = SqliteFaults.IsUnavailable(e) ? SqliteFaults.Unavailable(e) : e;
            foreach (var pending in batch)
            {
                pending.Fail(failure);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>A refresh after the batch is answered; its failure costs only plan quality, so it is logged, never thrown.</summary>
    private async Task RefreshStatisticsAsync()
    {
        try
        {
            var connection = await _writer.GetAsync(CancellationToken.None).ConfigureAwait(false);
            await _statistics.RefreshAsync(connection, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            _writer.Drop();
            SqliteLog.StatisticsNotRefreshed(_logger, e);
        }
    }

    /// <summary>Inserts a new event, or finds the first event of its request id (earlier in this batch too).</summary>
    private static async Task<Event> InsertOrFindAsync(SqliteEventWriter writer, PendingCreate<Event> create)
    {
        if (create.RequestId is not null
            && await writer.FindByRequestIdAsync(create.RequestId, CancellationToken.None).ConfigureAwait(false) is { } first)
        {
            return Event.Parser.ParseFrom(first);
        }

        await writer.InsertAsync(create.Event, create.RequestId, CancellationToken.None).ConfigureAwait(false);
        return create.Event;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static async Task<Event?> ReadEventAsync(SqliteCommand command, CancellationToken cancellationToken) =>
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] doc
            ? Event.Parser.ParseFrom(doc)
            : null;
}
