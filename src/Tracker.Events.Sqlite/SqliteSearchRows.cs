using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Sqlite;

/// <summary>
/// Writes the rows that index an event for search, keyed by its seq, within one write
/// transaction: its full text (title, message and service's token in events_fts) and the side rows of the fields
/// with many values (labels, resources, and every repeated string field <see cref="EventFields"/>
/// declares). Its statements are prepared once and reused for every event of the transaction,
/// and of the later transactions it joins. Deleting an event removes them by trigger (migration 3).
/// </summary>
internal sealed class SqliteSearchRows(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
{
    // Every repeated string field, each of whose values is a row of event_repeated_values under its name.
    private static readonly IReadOnlyList<(string Name, EventField Field)> RepeatedFields =
        [.. EventFields.All.Select(f => (f.Storage as RepeatedTextStorage, f)).Where(p => p.Item1 is not null).Select(p => (p.Item1!.Name, p.f))];

    private SqliteCommand? _insertText;
    private SqliteCommand? _deleteText;
    private SqliteCommand? _insertLabel;
    private SqliteCommand? _insertResource;
    private SqliteCommand? _insertRepeated;
    private SqliteCommand? _deleteSideRows;
    [SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Justification = "The transaction is its caller's, who commits or rolls it back.")]
    private SqliteTransaction _transaction = transaction;

    /// <summary>Indexes <paramref name="e"/> under <paramref name="seq"/>: its full text and its side rows.</summary>
    public async Task InsertAsync(long seq, Event e, CancellationToken cancellationToken)
    {
        await InsertTextAsync(seq, e.Title, e.Attributes?.Message ?? string.Empty, SqliteSearchText.ServiceOf(e), cancellationToken).ConfigureAwait(false);
        await InsertSideRowsAsync(seq, e, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes what <see cref="InsertAsync"/> wrote under <paramref name="seq"/>. The full-text
    /// index is external-content: it must be given the title, message and service of the row it
    /// indexed (the events row's columns), which it reads as <see cref="SqliteSearchText"/> says.
    /// </summary>
    public async Task DeleteAsync(long seq, string title, string message, string service, CancellationToken cancellationToken)
    {
        var deleteText = _deleteText ??= Command("INSERT INTO events_fts (events_fts, rowid, title, message, service) VALUES ('delete', $seq, $title, $message, $service)");
        deleteText.Parameters.Clear();
        deleteText.Parameters.AddWithValue("$seq", seq);
        deleteText.Parameters.AddWithValue("$title", SqliteSearchText.Indexed(title));
        deleteText.Parameters.AddWithValue("$message", SqliteSearchText.Indexed(message));
        deleteText.Parameters.AddWithValue("$service", SqliteSearchText.ServiceToken(service));
        await deleteText.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        var deleteSideRows = _deleteSideRows ??= Command("""
            DELETE FROM event_labels WHERE seq = $seq;
            DELETE FROM event_resources WHERE seq = $seq;
            DELETE FROM event_repeated_values WHERE seq = $seq;
            """);
        deleteSideRows.Parameters.Clear();
        deleteSideRows.Parameters.AddWithValue("$seq", seq);
        await deleteSideRows.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves the prepared statements to <paramref name="next"/>, a later transaction on the same connection.</summary>
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
    }

    public void Dispose()
    {
        foreach (var command in Commands())
        {
            command?.Dispose();
        }
    }

    private async Task InsertTextAsync(long seq, string title, string message, string service, CancellationToken cancellationToken)
    {
        var insert = _insertText ??= Command("INSERT INTO events_fts (rowid, title, message, service) VALUES ($seq, $title, $message, $service)");
        insert.Parameters.Clear();
        insert.Parameters.AddWithValue("$seq", seq);
        insert.Parameters.AddWithValue("$title", SqliteSearchText.Indexed(title));
        insert.Parameters.AddWithValue("$message", SqliteSearchText.Indexed(message));
        insert.Parameters.AddWithValue("$service", SqliteSearchText.ServiceToken(service));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task InsertSideRowsAsync(long seq, Event e, CancellationToken cancellationToken)
    {
        if (e.Attributes is not { } attributes)
        {
            return;
        }

        foreach (var (key, value) in attributes.Labels)
        {
            var insert = _insertLabel ??= Command("INSERT INTO event_labels (seq, key, value) VALUES ($seq, $key, $value)");
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$seq", seq);
            insert.Parameters.AddWithValue("$key", key);
            insert.Parameters.AddWithValue("$value", value);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        for (var i = 0; i < attributes.Resources.Count; i++)
        {
            var resource = attributes.Resources[i];
            var insert = _insertResource ??= Command("INSERT INTO event_resources (seq, position, kind, id, name, namespace) VALUES ($seq, $position, $kind, $id, $name, $namespace)");
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$seq", seq);
            insert.Parameters.AddWithValue("$position", i);
            insert.Parameters.AddWithValue("$kind", resource.Kind);
            insert.Parameters.AddWithValue("$id", resource.Id);
            insert.Parameters.AddWithValue("$name", resource.Name);
            insert.Parameters.AddWithValue("$namespace", resource.Namespace);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (name, field) in RepeatedFields)
        {
            await InsertRepeatedAsync(seq, name, [.. field.ValuesIn(e).Select(v => v.Text!)], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task InsertRepeatedAsync(long seq, string field, IReadOnlyList<string> values, CancellationToken cancellationToken)
    {
        for (var i = 0; i < values.Count; i++)
        {
            var insert = _insertRepeated ??= Command("INSERT INTO event_repeated_values (seq, field, position, value) VALUES ($seq, $field, $position, $value)");
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$seq", seq);
            insert.Parameters.AddWithValue("$field", field);
            insert.Parameters.AddWithValue("$position", i);
            insert.Parameters.AddWithValue("$value", values[i]);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private SqliteCommand?[] Commands() => [_insertText, _deleteText, _insertLabel, _insertResource, _insertRepeated, _deleteSideRows];

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }
}
