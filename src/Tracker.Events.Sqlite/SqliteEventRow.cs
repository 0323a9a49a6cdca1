using Microsoft.Data.Sqlite;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Sqlite;

/// <summary>
/// The columns of an events row that come from the event itself (every column but request_id and
/// seq), and their values: a column per field declared with a column shape in
/// <see cref="EventFields"/>, holding what the field reads (text '' when unset, numbers 0, the
/// start and end dates NULL), plus the etag and the document.
/// </summary>
internal static class SqliteEventRow
{
    /// <summary>The columns migration 3 added: what the backfill fills for rows written before it.</summary>
    public static IReadOnlyList<string> SearchColumns { get; } =
        ["title", "message", "related_id", "reason", "updated_at_us", "severity", "code", "notification", "start_date_us", "end_date_us"];

    private static readonly IReadOnlyList<(string Column, Func<Event, object> Read)> FieldColumns =
        [.. EventFields.All.SelectMany(ColumnsOf)];

    /// <summary>Every column <see cref="Bind"/> gives a parameter of the same name ($column).</summary>
    public static IReadOnlyList<string> Columns { get; } = [.. FieldColumns.Select(c => c.Column), "etag", "doc"];

    /// <summary>Adds one parameter per column of <see cref="Columns"/>, named $column; <paramref name="document"/> is <paramref name="e"/>'s protobuf bytes.</summary>
    public static void Bind(SqliteParameterCollection parameters, Event e, byte[] document)
    {
        foreach (var (column, read) in FieldColumns)
        {
            parameters.AddWithValue("$" + column, read(e));
        }

        parameters.AddWithValue("$etag", e.Etag);
        parameters.AddWithValue("$doc", document);
    }

    /// <summary>"column = $column, ..." for an UPDATE of <paramref name="columns"/>.</summary>
    public static string Assignments(IEnumerable<string> columns) =>
        string.Join(", ", columns.Select(c => $"{c} = ${c}"));

    // The columns of each storage shape that lives in the events row; the others have side tables.
    private static IEnumerable<(string, Func<Event, object>)> ColumnsOf(EventField field) => field.Storage switch
    {
        ColumnStorage column => [(column.Column, e => Value(field.ValuesIn(e).Single()))],
        OptionalTimeColumnStorage optional => [(optional.Column, e => field.IsSetIn(e) ? field.ValuesIn(e).Single().Number : DBNull.Value)],
        EventTimeStorage time =>
        [
            (time.Column, e => Value(field.ValuesIn(e).Single())),
            (time.SetColumn, e => e.Attributes?.StartDate is { } start ? EventKeys.ToMicros(start) : DBNull.Value),
        ],
        _ => [],
    };

    private static object Value(FilterValue value) => value.Text ?? (object)value.Number;
}
