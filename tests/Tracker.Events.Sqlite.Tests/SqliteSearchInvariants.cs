using Microsoft.Data.Sqlite;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Tests.Support;

namespace Tracker.Events.Sqlite.Tests;

/// <summary>
/// Checks, from the file itself, that the search data matches the events rows: every row has a
/// seq, the full-text index agrees with the text in events (FTS5 integrity-check against its
/// content table), and the side rows are exactly those each row's document implies, no orphans.
/// </summary>
internal static class SqliteSearchInvariants
{
    public static async Task AssertInStepAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString + ";Pooling=False");
        await connection.OpenAsync().Bounded();

        // Fails with SQLITE_CORRUPT_VTAB when the index and the events' text differ.
        await ReadAsync(connection, "INSERT INTO events_fts (events_fts, rank) VALUES ('integrity-check', 1)", _ => 0);

        var documents = await ReadAsync(connection, "SELECT seq, doc FROM events", r => (Seq: r.IsDBNull(0) ? (long?)null : r.GetInt64(0), Event: Event.Parser.ParseFrom(r.GetFieldValue<byte[]>(1))));
        Assert.All(documents, d => Assert.NotNull(d.Seq));

        var expectedLabels = documents.SelectMany(d => d.Event.Attributes.Labels.Select(l => $"{d.Seq}|{l.Key}|{l.Value}"));
        var expectedResources = documents.SelectMany(d => d.Event.Attributes.Resources.Select((r, i) => $"{d.Seq}|{i}|{r.Kind}|{r.Id}|{r.Name}|{r.Namespace}"));
        // Each declared repeated string field, read from the document by its proto name.
        var repeated = EventFields.All.Select(f => f.Storage).OfType<RepeatedTextStorage>().Select(r => EventAttributes.Descriptor.FindFieldByName(r.Name)).ToArray();
        var expectedValues = documents.SelectMany(d => repeated.SelectMany(field =>
            ((IEnumerable<string>)field.Accessor.GetValue(d.Event.Attributes)).Select((v, i) => $"{d.Seq}|{field.Name}|{i}|{v}")));

        Assert.Equal(Sorted(expectedLabels), Sorted(await ReadAsync(connection, "SELECT seq, key, value FROM event_labels", Joined)));
        Assert.Equal(Sorted(expectedResources), Sorted(await ReadAsync(connection, "SELECT seq, position, kind, id, name, namespace FROM event_resources", Joined)));
        Assert.Equal(Sorted(expectedValues), Sorted(await ReadAsync(connection, "SELECT seq, field, position, value FROM event_repeated_values", Joined)));
    }

    private static string Joined(SqliteDataReader reader) =>
        string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i).ToString()));

    private static string[] Sorted(IEnumerable<string> rows) => rows.Order(StringComparer.Ordinal).ToArray();

    private static async Task<List<T>> ReadAsync<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync().Bounded();
        while (await reader.ReadAsync().Bounded())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
