using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Sqlite;

/// <summary>
/// The embedded event store: one SQLite file holding each event as its protobuf bytes plus the
/// indexed columns of <see cref="EventKeys"/>. Writes run in BEGIN IMMEDIATE transactions (the
/// write lock is taken up front, so a transaction never fails half-way on a lock upgrade) and,
/// within this process, one at a time, so concurrent callers queue instead of spinning on
/// SQLITE_BUSY; creates that queue meanwhile share one transaction (group commit). Reads run in their own snapshot and never wait for the writer (WAL).
/// </summary>
public sealed class SqliteEventStore : IEventStore, IDisposable
{
    private const string Columns = "id, request_id, created_at_us, event_time_us, priority, type, status, environment, impact, service, source, owner, etag, doc";

    private readonly SqliteConnectionFactory _connections;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Queue<PendingCreate> _waitingCreates = new();

    public SqliteEventStore(string connectionString)
    {
        _connections = new SqliteConnectionFactory(connectionString);
    }

    public Task MigrateAsync(CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                await SqliteMigrationRunner.RunAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    public async Task<Event> CreateAsync(Event newEvent, string? requestId, CancellationToken cancellationToken)
    {
        var pending = new PendingCreate(newEvent, requestId);
        lock (_waitingCreates)
        {
            _waitingCreates.Enqueue(pending);
        }

        // Group commit: whoever holds the write lock next writes every create waiting by then
        // in one transaction, one fsync for all. When this returns, ours was written, by us or
        // by the writer before us.
        await WriteWaitingCreatesAsync().ConfigureAwait(false);
        return await pending.Stored.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<Event?> GetAsync(string id, CancellationToken cancellationToken) =>
        ReadAsync(
            async connection =>
            {
                await using var select = Command(connection, null, "SELECT doc FROM events WHERE id = $id");
                select.Parameters.AddWithValue("$id", id);
                return await ReadEventAsync(select, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    public Task<bool> ReplaceAsync(Event updated, string expectedEtag, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                await using var update = Command(connection, transaction, """
                    UPDATE events SET created_at_us = $created_at_us, event_time_us = $event_time_us, priority = $priority,
                        type = $type, status = $status, environment = $environment, impact = $impact, service = $service,
                        source = $source, owner = $owner, etag = $etag, doc = $doc
                    WHERE id = $id AND etag = $expected_etag
                    """);
                AddColumns(update, updated);
                update.Parameters.AddWithValue("$expected_etag", expectedEtag);
                return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            },
            cancellationToken);

    public Task<DeleteOutcome> DeleteAsync(string id, string? expectedEtag, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                await using var find = Command(connection, transaction, "SELECT etag FROM events WHERE id = $id");
                find.Parameters.AddWithValue("$id", id);
                var etag = await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
                if (etag is null)
                {
                    return DeleteOutcome.NotFound;
                }

                if (expectedEtag is not null && expectedEtag != etag)
                {
                    return DeleteOutcome.EtagMismatch;
                }

                await using var delete = Command(connection, transaction, "DELETE FROM events WHERE id = $id");
                delete.Parameters.AddWithValue("$id", id);
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return DeleteOutcome.Deleted;
            },
            cancellationToken);

    public Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken) =>
        ReadAsync(
            async connection =>
            {
                // One read transaction: the count and the page see the same snapshot.
                await using var transaction = connection.BeginTransaction(deferred: true);
                await using var count = Command(connection, transaction, string.Empty);
                await using var page = Command(connection, transaction, string.Empty);
                SqliteQueryBuilder.Build(query, count, page);

                var total = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
                var events = new List<StoredEvent>(Math.Min(query.Limit, 1024));
                await using (var reader = await page.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        events.Add(new StoredEvent(reader.GetFieldValue<byte[]>(0)));
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new EventPage(events, total);
            },
            cancellationToken);

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var ping = Command(connection, null, "SELECT 1");
            return await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is 1L;
        }
        catch (Exception e) when (SqliteFailures.IsUnavailable(e) || e is SqliteException)
        {
            return false;
        }
    }

    public void Dispose() => _writeGate.Dispose();

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await read(connection).ConfigureAwait(false);
        }
        catch (Exception e) when (SqliteFailures.IsUnavailable(e))
        {
            throw SqliteFailures.Unavailable(e);
        }
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await write(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception e) when (SqliteFailures.IsUnavailable(e))
        {
            throw SqliteFailures.Unavailable(e);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task WriteWaitingCreatesAsync()
    {
        await _writeGate.WaitAsync().ConfigureAwait(false);
        PendingCreate[] batch;
        lock (_waitingCreates)
        {
            batch = [.. _waitingCreates];
            _waitingCreates.Clear();
        }

        try
        {
            if (batch.Length == 0)
            {
                return;
            }

            var stored = new Event[batch.Length];
            await using (var connection = await _connections.OpenAsync(CancellationToken.None).ConfigureAwait(false))
            await using (var transaction = connection.BeginTransaction(deferred: false))
            {
                for (var i = 0; i < batch.Length; i++)
                {
                    stored[i] = await InsertOrFindAsync(connection, transaction, batch[i]).ConfigureAwait(false);
                }

                await transaction.CommitAsync().ConfigureAwait(false);
            }

            for (var i = 0; i < batch.Length; i++)
            {
                batch[i].Complete(stored[i]);
            }
        }
        catch (Exception e)
        {
            var failure = SqliteFailures.IsUnavailable(e) ? SqliteFailures.Unavailable(e) : e;
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

    /// <summary>Inserts a new event, or finds the first event of its request id (earlier in this batch too).</summary>
    private static async Task<Event> InsertOrFindAsync(SqliteConnection connection, SqliteTransaction transaction, PendingCreate create)
    {
        if (create.RequestId is not null)
        {
            await using var find = Command(connection, transaction, "SELECT doc FROM events WHERE request_id = $request_id");
            find.Parameters.AddWithValue("$request_id", create.RequestId);
            if (await ReadEventAsync(find, CancellationToken.None).ConfigureAwait(false) is { } first)
            {
                return first;
            }
        }

        await using var insert = Command(connection, transaction, $"INSERT INTO events ({Columns}) VALUES ($id, $request_id, $created_at_us, $event_time_us, $priority, $type, $status, $environment, $impact, $service, $source, $owner, $etag, $doc)");
        AddColumns(insert, create.Event);
        insert.Parameters.AddWithValue("$request_id", (object?)create.RequestId ?? DBNull.Value);
        await insert.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        return create.Event;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void AddColumns(SqliteCommand command, Event e)
    {
        var a = e.Attributes ?? new EventAttributes();
        command.Parameters.AddWithValue("$id", e.Id);
        command.Parameters.AddWithValue("$created_at_us", EventKeys.CreatedAtMicros(e));
        command.Parameters.AddWithValue("$event_time_us", EventKeys.EventTimeMicros(e));
        command.Parameters.AddWithValue("$priority", (int)a.Priority);
        command.Parameters.AddWithValue("$type", (int)a.Type);
        command.Parameters.AddWithValue("$status", (int)a.Status);
        command.Parameters.AddWithValue("$environment", (int)a.Environment);
        command.Parameters.AddWithValue("$impact", (int)a.Impact);
        command.Parameters.AddWithValue("$service", a.Service);
        command.Parameters.AddWithValue("$source", a.Source);
        command.Parameters.AddWithValue("$owner", a.Owner);
        command.Parameters.AddWithValue("$etag", e.Etag);
        command.Parameters.AddWithValue("$doc", e.ToByteArray());
    }

    private static async Task<Event?> ReadEventAsync(SqliteCommand command, CancellationToken cancellationToken) =>
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] doc
            ? Event.Parser.ParseFrom(doc)
            : null;
}

/// <summary>One create waiting for the next write transaction.</summary>
internal sealed class PendingCreate(Event newEvent, string? requestId)
{
    private readonly TaskCompletionSource<Event> _stored = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Event Event { get; } = newEvent;

    public string? RequestId { get; } = requestId;

    /// <summary>The stored event: this one, or the first of its request id.</summary>
    public Task<Event> Stored => _stored.Task;

    public void Complete(Event stored) => _stored.TrySetResult(stored);

    public void Fail(Exception exception) => _stored.TrySetException(exception);
}
