using Microsoft.Data.Sqlite;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Sqlite;

/// <summary>
/// Writes events within one write transaction (BEGIN IMMEDIATE): the row, its side rows and its
/// seq, which comes from event_sequence inside the same transaction, so that an event committed
/// later always has a larger one. The full text follows the row by trigger (migration 3). The
/// statements are prepared once per transaction and reused for each event of a group commit.
/// </summary>
internal sealed class SqliteEventWriter(SqliteConnection connection, SqliteTransaction transaction) : IAsyncDisposable
{
    private static readonly string InsertSql =
        $"INSERT INTO events (request_id, seq, {string.Join(", ", SqliteEventRow.Columns)}) VALUES ($request_id, $seq, {string.Join(", ", SqliteEventRow.Columns.Select(c => "$" + c))})";

    // Every column but the id, which finds the row; the seq stays.
    private static readonly string ReplaceSql =
        $"UPDATE events SET {SqliteEventRow.Assignments(SqliteEventRow.Columns.Where(c => c != "id"))} WHERE id = $id AND etag = $expected_etag RETURNING seq";

    // Only what migration 3 added: the older columns of a row written before it are right already.
    private static readonly string IndexSql =
        $"UPDATE events SET {SqliteEventRow.Assignments(SqliteEventRow.SearchColumns)}, seq = $seq WHERE rowid = $rowid AND seq IS NULL";

    private readonly SqliteSideRows _sideRows = new(connection, transaction);
    private SqliteCommand? _findByRequestId;
    private SqliteCommand? _nextSequence;
    private SqliteCommand? _insert;
    private SqliteCommand? _replace;
    private SqliteCommand? _index;

    /// <summary>The document of the event first created with <paramref name="requestId"/>, or null.</summary>
    public async Task<byte[]?> FindByRequestIdAsync(string requestId, CancellationToken cancellationToken)
    {
        var find = _findByRequestId ??= Command("SELECT doc FROM events WHERE request_id = $request_id");
        find.Parameters.Clear();
        find.Parameters.AddWithValue("$request_id", requestId);
        return await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }

    /// <summary>Inserts a new event with the next seq, and returns that seq.</summary>
    public async Task<long> InsertAsync(Event e, string? requestId, CancellationToken cancellationToken)
    {
        var seq = await NextSequenceAsync(cancellationToken).ConfigureAwait(false);
        var insert = _insert ??= Command(InsertSql);
        insert.Parameters.Clear();
        SqliteEventRow.Bind(insert.Parameters, e);
        insert.Parameters.AddWithValue("$request_id", (object?)requestId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$seq", seq);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await _sideRows.InsertAsync(seq, e.Attributes, cancellationToken).ConfigureAwait(false);
        return seq;
    }

    /// <summary>
    /// Replaces the event if its stored etag is <paramref name="expectedEtag"/>, with its side rows;
    /// false when it is gone or has another etag. The seq stays: it is the creation's position.
    /// </summary>
    public async Task<bool> ReplaceAsync(Event updated, string expectedEtag, CancellationToken cancellationToken)
    {
        var replace = _replace ??= Command(ReplaceSql);
        replace.Parameters.Clear();
        SqliteEventRow.Bind(replace.Parameters, updated);
        replace.Parameters.AddWithValue("$expected_etag", expectedEtag);
        if (await replace.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long seq)
        {
            return false;
        }

        await _sideRows.DeleteAsync(seq, cancellationToken).ConfigureAwait(false);
        await _sideRows.InsertAsync(seq, updated.Attributes, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Indexes a row written before migration 3 (its seq is NULL): fills the columns and side rows
    /// that step added from its document, and gives it the next seq. A row indexed meanwhile is
    /// left as it is.
    /// </summary>
    public async Task IndexAsync(long rowid, Event stored, CancellationToken cancellationToken)
    {
        var seq = await NextSequenceAsync(cancellationToken).ConfigureAwait(false);
        var index = _index ??= Command(IndexSql);
        index.Parameters.Clear();
        SqliteEventRow.Bind(index.Parameters, stored);
        index.Parameters.AddWithValue("$seq", seq);
        index.Parameters.AddWithValue("$rowid", rowid);
        if (await index.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
        {
            await _sideRows.InsertAsync(seq, stored.Attributes, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in new[] { _findByRequestId, _nextSequence, _insert, _replace, _index })
        {
            if (command is not null)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
        }

        await _sideRows.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<long> NextSequenceAsync(CancellationToken cancellationToken)
    {
        var next = _nextSequence ??= Command("UPDATE event_sequence SET last_value = last_value + 1 WHERE id = 1 RETURNING last_value");
        return (long)(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("event_sequence has no row: the schema is not migrated."));
    }

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
