using Google.Protobuf;
using Npgsql;
using NpgsqlTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Postgres;

/// <summary>
/// An event as a row of the events table: the whole message as protobuf bytes, plus the
/// columns that filters and orders read, each computed as its field's declaration reads it.
/// The id, request_id and seq are not among them: the caller and the commit counter give those.
/// </summary>
internal static class PostgresEventRow
{
    /// <summary>
    /// Every column computed from an event, in the order of <see cref="ValueColumns"/>: the
    /// columns of each declared field's storage shape (the id aside), then the etag, the document
    /// and the full-text words.
    /// </summary>
    public static IReadOnlyList<PostgresEventColumn> Columns { get; } =
    [
        .. EventFields.All.Where(f => f != EventField.Id).SelectMany(ColumnsOf).DistinctBy(c => c.Name),
        TextColumn("etag", (e, _) => e.Etag),
        new PostgresEventColumn<byte[]>("document", "bytea", NpgsqlDbType.Bytea, (e, _) => e.ToByteArray()),
        new PostgresEventColumn<string>("search_words", "text", NpgsqlDbType.Text, (e, a) => PostgresSearchWords.Of(e.Title, a.Message)),
    ];

    /// <summary>The names of <see cref="Columns"/>, in order (the bench's COPY reads them too).</summary>
    public static readonly string[] ValueColumns = Columns.Select(c => c.Name).ToArray();

    /// <summary>Adds one positional parameter per entry of <see cref="ValueColumns"/>.</summary>
    public static void AddValues(NpgsqlParameterCollection parameters, Event e)
    {
        foreach (var column in Columns)
        {
            parameters.Add(column.Value(e));
        }
    }

    /// <summary>Adds one array parameter per entry of <see cref="ValueColumns"/>: the rows of a batch, for unnest().</summary>
    public static void AddArrays(NpgsqlParameterCollection parameters, IReadOnlyList<Event> events)
    {
        foreach (var column in Columns)
        {
            parameters.Add(column.Values(events));
        }
    }

    /// <summary>The arguments of unnest() for the arrays <see cref="AddArrays"/> adds from parameter <paramref name="first"/> on: "$3::bigint[], $4::bigint[], ...".</summary>
    public static string UnnestArguments(int first) =>
        string.Join(", ", Columns.Select((c, i) => FormattableString.Invariant($"${first + i}::{c.SqlType}[]")));

    /// <summary>The column names, each prefixed: "r.created_at_us, r.event_time_us, ...".</summary>
    public static string ColumnList(string prefix = "") => string.Join(", ", ValueColumns.Select(c => prefix + c));

    public static NpgsqlParameter Text(string? value) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    public static Event Read(NpgsqlDataReader reader, int ordinal) =>
        Event.Parser.ParseFrom(reader.GetFieldValue<byte[]>(ordinal));

    // The columns of each storage shape; the resource fields share one.
    private static IEnumerable<PostgresEventColumn> ColumnsOf(EventField field) => field.Storage switch
    {
        ColumnStorage column => [ScalarColumn(column.Column, field)],
        OptionalTimeColumnStorage optional => [OptionalInt64Column(optional.Column, (e, _) => field.IsSetIn(e) ? field.ValuesIn(e).Single().Number : null)],
        EventTimeStorage time =>
        [
            Int64Column(time.Column, (e, _) => field.ValuesIn(e).Single().Number),
            OptionalInt64Column(time.SetColumn, (_, a) => a.StartDate is { } start ? EventKeys.ToMicros(start) : null),
        ],
        RepeatedTextStorage repeated => [JsonColumn(repeated.Name, (e, _) => PostgresEventJson.Strings(field.ValuesIn(e).Select(v => v.Text!)))],
        ResourceMemberStorage => [JsonColumn(PostgresSqlDialect.ResourcesColumn, (_, a) => PostgresEventJson.Resources(a.Resources))],
        LabelMapStorage => [JsonColumn(PostgresSqlDialect.LabelsColumn, (_, a) => PostgresEventJson.Labels(a.Labels))],
        _ => throw new ArgumentOutOfRangeException(nameof(field), field.Storage, "Unknown storage shape."),
    };

    // Text as text; timestamps as bigint microseconds; enums, integers and flags as integer.
    private static PostgresEventColumn ScalarColumn(string name, EventField field) => field.Kind switch
    {
        FieldKind.Text => TextColumn(name, (e, _) => field.ValuesIn(e).Single().Text!),
        FieldKind.Timestamp => Int64Column(name, (e, _) => field.ValuesIn(e).Single().Number),
        _ => Int32Column(name, (e, _) => checked((int)field.ValuesIn(e).Single().Number)),
    };

    private static PostgresEventColumn<long> Int64Column(string name, Func<Event, EventAttributes, long> read) => new(name, "bigint", NpgsqlDbType.Bigint, read);

    private static PostgresEventColumn<long?> OptionalInt64Column(string name, Func<Event, EventAttributes, long?> read) => new(name, "bigint", NpgsqlDbType.Bigint, read);

    private static PostgresEventColumn<int> Int32Column(string name, Func<Event, EventAttributes, int> read) => new(name, "integer", NpgsqlDbType.Integer, read);

    private static PostgresEventColumn<string> TextColumn(string name, Func<Event, EventAttributes, string> read) => new(name, "text", NpgsqlDbType.Text, read);

    private static PostgresEventColumn<string> JsonColumn(string name, Func<Event, EventAttributes, string> read) => new(name, "jsonb", NpgsqlDbType.Jsonb, read);
}
