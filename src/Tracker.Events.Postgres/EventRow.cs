using Google.Protobuf;
using Npgsql;
using NpgsqlTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Postgres;

/// <summary>
/// An event as a row of the events table: the whole message as protobuf bytes, plus the
/// columns that filters and orders read, each computed as <see cref="EventKeys"/> defines it.
/// The id, request_id and seq are not among them: the caller and the commit counter give those.
/// </summary>
internal static class EventRow
{
    /// <summary>Every column computed from an event, in the order of <see cref="ValueColumns"/>.</summary>
    public static IReadOnlyList<EventColumn> Columns { get; } =
    [
        Int64Column("created_at_us", (e, _) => EventKeys.CreatedAtMicros(e)),
        Int64Column("event_time_us", (e, _) => EventKeys.EventTimeMicros(e)),
        Int32Column("priority", (_, a) => (int)a.Priority),
        Int32Column("type", (_, a) => (int)a.Type),
        Int32Column("status", (_, a) => (int)a.Status),
        Int32Column("environment", (_, a) => (int)a.Environment),
        Int32Column("impact", (_, a) => (int)a.Impact),
        TextColumn("service", (_, a) => a.Service),
        TextColumn("source", (_, a) => a.Source),
        TextColumn("owner", (_, a) => a.Owner),
        TextColumn("etag", (e, _) => e.Etag),
        new EventColumn<byte[]>("document", "bytea", NpgsqlDbType.Bytea, (e, _) => e.ToByteArray()),

        // Issue 11 (migration 3): every other field a filter or an order reads.
        Int64Column("updated_at_us", (e, _) => EventKeys.ToMicros(e.UpdatedAt)),
        TextColumn("title", (e, _) => e.Title),
        TextColumn("message", (_, a) => a.Message),
        TextColumn("related_id", (_, a) => a.RelatedId),
        TextColumn("reason", (_, a) => a.Reason),
        Int32Column("severity", (_, a) => (int)a.Severity),
        Int32Column("code", (_, a) => a.Code),
        Int32Column("notification", (_, a) => a.Notification ? 1 : 0),
        OptionalInt64Column("start_date_us", (_, a) => a.StartDate is { } start ? EventKeys.ToMicros(start) : null),
        OptionalInt64Column("end_date_us", (_, a) => a.EndDate is { } end ? EventKeys.ToMicros(end) : null),
        JsonColumn("stake_holders", (_, a) => EventJson.Strings(a.StakeHolders)),
        JsonColumn("notifications", (_, a) => EventJson.Strings(a.Notifications)),
        JsonColumn("resources", (_, a) => EventJson.Resources(a.Resources)),
        JsonColumn("labels", (_, a) => EventJson.Labels(a.Labels)),
        new EventColumn<string>("search_words", "text", NpgsqlDbType.Text, (e, a) => SearchWords.Of(e.Title, a.Message)),

        // Issue 12 (migration 4): the key an occurrence folds by.
        TextColumn("aggregation_key", (e, _) => e.AggregationKey),
        Int32Column("seen_count", (e, _) => e.Count),
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

    private static EventColumn<long> Int64Column(string name, Func<Event, EventAttributes, long> read) => new(name, "bigint", NpgsqlDbType.Bigint, read);

    private static EventColumn<long?> OptionalInt64Column(string name, Func<Event, EventAttributes, long?> read) => new(name, "bigint", NpgsqlDbType.Bigint, read);

    private static EventColumn<int> Int32Column(string name, Func<Event, EventAttributes, int> read) => new(name, "integer", NpgsqlDbType.Integer, read);

    private static EventColumn<string> TextColumn(string name, Func<Event, EventAttributes, string> read) => new(name, "text", NpgsqlDbType.Text, read);

    private static EventColumn<string> JsonColumn(string name, Func<Event, EventAttributes, string> read) => new(name, "jsonb", NpgsqlDbType.Jsonb, read);
}
