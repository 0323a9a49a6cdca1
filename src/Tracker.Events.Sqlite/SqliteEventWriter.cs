using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Type = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Events.Sqlite;

/// <summary>
/// Writes events within one write transaction (BEGIN IMMEDIATE): the row, its search rows (full
/// text and side rows), its seq, which comes from event_sequence inside the same transaction,
/// so that an event committed later always has a larger one, and the change-log row of each
/// create, update and delete, at the position it takes from the same counter. The statements
/// are prepared on first use and reused for each event of a group commit, and, by the store's
/// one write connection, for every transaction after (<see cref="Join"/>), so that a small
/// batch does not pay for preparing them again.
/// </summary>
internal sealed class SqliteEventWriter(SqliteConnection connection, SqliteTransaction transaction) : IAsyncDisposable, IDisposable
{
    private static readonly string InsertSql =
        $"INSERT INTO events (request_id, seq, {string.Join(", ", SqliteEventRow.Columns)}) VALUES ($request_id, $seq, {string.Join(", ", SqliteEventRow.Columns.Select(c => "$" + c))})";

    // Every column but the id, which found the row; the seq stays.
    private static readonly string ReplaceSql =
        $"UPDATE events SET {SqliteEventRow.Assignments(SqliteEventRow.Columns.Where(c => c != "id"))} WHERE seq = $seq";

    // Only what migration 3 added: the older columns of a row written before it are right already.
    private static readonly string IndexSql =
        $"UPDATE events SET {SqliteEventRow.Assignments(SqliteEventRow.SearchColumns)}, seq = $seq WHERE rowid = $rowid AND seq IS NULL";

    private readonly SqliteSearchRows _searchRows = new(connection, transaction);
    [SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Justification = "The transaction is its caller's, who commits or rolls it back.")]
    private SqliteTransaction _transaction = transaction;
    private SqliteCommand? _findByRequestId;
    private SqliteCommand? _findVersion;
    private SqliteCommand? _bumpSequence;
    private SqliteCommand? _readSequence;
    private SqliteCommand? _insert;
    private SqliteCommand? _replace;
    private SqliteCommand? _index;
    private SqliteCommand? _findForDelete;
    private SqliteCommand? _delete;
    private SqliteCommand? _appendChange;
    private SqliteCommand? _findNewestOfKey;
    private SqliteCommand? _recordFoldedRequest;

    /// <summary>The document of the event first created with <paramref name="requestId"/>, or that a create with it was folded into; null when none.</summary>
    public async Task<byte[]?> FindByRequestIdAsync(string requestId, CancellationToken cancellationToken)
    {
        var find = _findByRequestId ??= Command("""
            SELECT doc FROM events WHERE request_id = $request_id
            UNION ALL
            SELECT e.doc FROM folded_requests f JOIN events e ON e.id = f.event_id WHERE f.request_id = $request_id
            LIMIT 1
            """);
        find.Parameters.Clear();
        find.Parameters.AddWithValue("$request_id", requestId);
        return await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }

    /// <summary>The newest event of <paramref name="service"/> created with <paramref name="aggregationKey"/>, or null: a key is per service.</summary>
    public async Task<Event?> FindNewestOfKeyAsync(string aggregationKey, string service, CancellationToken cancellationToken)
    {
        var find = _findNewestOfKey ??= Command("SELECT doc FROM events WHERE aggregation_key = $key AND service = $service ORDER BY seq DESC LIMIT 1");
        find.Parameters.Clear();
        find.Parameters.AddWithValue("$key", aggregationKey);
        find.Parameters.AddWithValue("$service", service);
        return await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] doc ? Event.Parser.ParseFrom(doc) : null;
    }

    /// <summary>Records that the create of <paramref name="requestId"/> was folded into the event <paramref name="eventId"/>.</summary>
    public async Task RecordFoldedRequestAsync(string requestId, string eventId, CancellationToken cancellationToken)
    {
        var record = _recordFoldedRequest ??= Command("INSERT OR IGNORE INTO folded_requests (request_id, event_id) VALUES ($request_id, $event_id)");
        record.Parameters.Clear();
        record.Parameters.AddWithValue("$request_id", requestId);
        record.Parameters.AddWithValue("$event_id", eventId);
        await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts a new event with the next seq, and returns that seq.</summary>
    public async Task<long> InsertAsync(Event e, string? requestId, CancellationToken cancellationToken)
    {
        var seq = await NextSequenceAsync(cancellationToken).ConfigureAwait(false);
        var insert = _insert ??= Command(InsertSql);
        insert.Parameters.Clear();
        var document = e.ToByteArray();
        SqliteEventRow.Bind(insert.Parameters, e, document);
        insert.Parameters.AddWithValue("$request_id", (object?)requestId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$seq", seq);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await _searchRows.InsertAsync(seq, e, cancellationToken).ConfigureAwait(false);
        await AppendChangeAsync(seq, ChangeType.Created, document, cancellationToken).ConfigureAwait(false);
        return seq;
    }

    /// <summary>
    /// Replaces the event if its stored etag is <paramref name="expectedEtag"/>, with its search
    /// rows; false when it is gone or has another etag. The seq stays: it is the creation's position.
    /// </summary>
    public async Task<bool> ReplaceAsync(Event updated, string expectedEtag, CancellationToken cancellationToken)
    {
        // Read first: the full-text index must be given the text it indexed to forget it.
        var find = _findVersion ??= Command("SELECT seq, title, message, service, doc FROM events WHERE id = $id AND etag = $expected_etag");
        find.Parameters.Clear();
        find.Parameters.AddWithValue("$id", updated.Id);
        find.Parameters.AddWithValue("$expected_etag", expectedEtag);
        long seq;
        string title, message, service;
        byte[] previous;
        var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            (seq, title, message, service, previous) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<byte[]>(4));
        }

        var replace = _replace ??= Command(ReplaceSql);
        replace.Parameters.Clear();
        var document = updated.ToByteArray();
        SqliteEventRow.Bind(replace.Parameters, updated, document);
        replace.Parameters.AddWithValue("$seq", seq);
        await replace.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await _searchRows.DeleteAsync(seq, title, message, service, cancellationToken).ConfigureAwait(false);
        await _searchRows.InsertAsync(seq, updated, cancellationToken).ConfigureAwait(false);
        var position = await NextSequenceAsync(cancellationToken).ConfigureAwait(false);
        await AppendChangeAsync(position, ChangeType.Updated, document, cancellationToken, previous).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Deletes the event if it exists and, when <paramref name="expectedEtag"/> is given, still has
    /// it; the last stored event goes to the change log. Its search rows go by trigger.
    /// </summary>
    public async Task<DeleteOutcome> DeleteAsync(string id, string? expectedEtag, CancellationToken cancellationToken)
    {
        var find = _findForDelete ??= Command("SELECT etag, doc FROM events WHERE id = $id");
        find.Parameters.Clear();
        find.Parameters.AddWithValue("$id", id);
        string etag;
        byte[] document;
        var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return DeleteOutcome.NotFound;
            }

            (etag, document) = (reader.GetString(0), reader.GetFieldValue<byte[]>(1));
        }

        if (expectedEtag is not null && expectedEtag != etag)
        {
            return DeleteOutcome.EtagMismatch;
        }

        var delete = _delete ??= Command("DELETE FROM events WHERE id = $id");
        delete.Parameters.Clear();
        delete.Parameters.AddWithValue("$id", id);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        var position = await NextSequenceAsync(cancellationToken).ConfigureAwait(false);
        await AppendChangeAsync(position, ChangeType.Deleted, document, cancellationToken).ConfigureAwait(false);
        return DeleteOutcome.Deleted;
    }

    /// <summary>
    /// Deletes at most <paramref name="limit"/> events that <paramref name="cutoffs"/> say have
    /// expired, oldest change first, each exactly as <see cref="DeleteAsync"/> deletes one (search
    /// rows by trigger, a DELETED change at a position of its own). The expired events of each type
    /// are read from the start of its range of events_by_type_updated_at (migration 5). Returns how
    /// many were deleted per type.
    /// </summary>
    public async Task<IReadOnlyDictionary<Type, int>> DeleteExpiredAsync(IReadOnlyList<ExpiryCutoff> cutoffs, int limit, CancellationToken cancellationToken)
    {
        var deleted = new Dictionary<Type, int>();
        if (cutoffs.Count == 0 || limit <= 0)
        {
            return deleted;
        }

        var expired = new List<(string Id, Type Type)>();
        var find = Command(ExpiredSql(cutoffs.Count));
        await using (find.ConfigureAwait(false))
        {
            for (var i = 0; i < cutoffs.Count; i++)
            {
                find.Parameters.AddWithValue(FormattableString.Invariant($"$type{i}"), (int)cutoffs[i].Type);
                find.Parameters.AddWithValue(FormattableString.Invariant($"$before{i}"), cutoffs[i].UpdatedBeforeMicros);
            }

            find.Parameters.AddWithValue("$limit", limit);
            var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                expired.Add((reader.GetString(0), (Type)reader.GetInt32(1)));
            }
        }

        // Within this write transaction nothing else writes: every event found is still there.
        foreach (var (id, type) in expired)
        {
            if (await DeleteAsync(id, null, cancellationToken).ConfigureAwait(false) == DeleteOutcome.Deleted)
            {
                deleted[type] = deleted.GetValueOrDefault(type) + 1;
            }
        }

        return deleted;
    }

    /// <summary>
    /// Indexes a row written before migration 3 (its seq is NULL): fills the columns and search
    /// rows that step added from its document, and gives it the next seq. A row indexed meanwhile is
    /// left as it is.
    /// </summary>
    public async Task IndexAsync(long rowid, Event stored, CancellationToken cancellationToken)
    {
        var seq = await NextSequenceAsync(cancellationToken).ConfigureAwait(false);
        var index = _index ??= Command(IndexSql);
        index.Parameters.Clear();
        SqliteEventRow.Bind(index.Parameters, stored, stored.ToByteArray());
        index.Parameters.AddWithValue("$seq", seq);
        index.Parameters.AddWithValue("$rowid", rowid);
        if (await index.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
        {
            await _searchRows.InsertAsync(seq, stored, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Moves the writer, with the statements it prepared, to <paramref name="next"/>, a later
    /// transaction on the same connection: SQLite keeps a prepared statement across transactions.
    /// </summary>
    public void Join(SqliteTransaction next)
    {
        _transaction = next;
        foreach (var command in Commands())
        {
            if (command is not null)
            {
                command.Transaction = next;
            }
        }

        _searchRows.Join(next);
    }

    public void Dispose()
    {
        foreach (var command in Commands())
        {
            command?.Dispose();
        }

        _searchRows.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    // The oldest expired events of each type (each arm reads its type's index range up to the
    // cutoff, at most $limit rows), then the oldest $limit of them all.
    internal static string ExpiredSql(int types) =>
        "SELECT id, type FROM ("
        + string.Join(" UNION ALL ", Enumerable.Range(0, types).Select(i => FormattableString.Invariant(
            $"SELECT * FROM (SELECT id, type, updated_at_us FROM events WHERE type = $type{i} AND updated_at_us < $before{i} AND seq IS NOT NULL ORDER BY updated_at_us LIMIT $limit)")))
        + ") ORDER BY updated_at_us, id LIMIT $limit";

    private async Task<long> NextSequenceAsync(CancellationToken cancellationToken)
    {
        // Two statements, not UPDATE ... RETURNING: with the full-text table in the transaction,
        // RETURNING made this step cost some 15 times more (44 µs against 3 µs, SQLite 3.53).
        var bump = _bumpSequence ??= Command("UPDATE event_sequence SET last_value = last_value + 1 WHERE id = 1");
        await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        var read = _readSequence ??= Command("SELECT last_value FROM event_sequence WHERE id = 1");
        return (long)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("event_sequence has no row: the schema is not migrated."));
    }

    private async Task AppendChangeAsync(long seq, ChangeType type, byte[] document, CancellationToken cancellationToken, byte[]? previous = null)
    {
        var append = _appendChange ??= Command(SqliteChangeLog.AppendSql);
        SqliteChangeLog.Bind(append, seq, type, document, previous);
        await append.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private SqliteCommand?[] Commands() =>
        [_findByRequestId, _findVersion, _bumpSequence, _readSequence, _insert, _replace, _index, _findForDelete, _delete, _appendChange, _findNewestOfKey, _recordFoldedRequest];

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }
}
