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
        Number("created_at_us", (e, _) => EventKeys.CreatedAtMicros(e)),
        Number("event_time_us", (e, _) => EventKeys.EventTimeMicros(e)),
        Integer("priority", (_, a) => (int)a.Priority),
        Integer("type", (_, a) => (int)a.Type),
        Integer("status", (_, a) => (int)a.Status),
        Integer("environment", (_, a) => (int)a.Environment),
        Integer("impact", (_, a) => (int)a.Impact),
        Text("service", (_, a) => a.Service),
        Text("source", (_, a) => a.Source),
        Text("owner", (_, a) => a.Owner),
        Text("etag", (e, _) => e.Etag),
        new EventColumn<byte[]>("document", "bytea", NpgsqlDbType.Bytea, (e, _) => e.ToByteArray()),

        // Issue 11 (migration 3): every other field a filter or an order reads.
        Number("updated_at_us", (e, _) => EventKeys.ToMicros(e.UpdatedAt)),
        Text("title", (e, _) => e.Title),
        Text("message", (_, a) => a.Message),
        Text("related_id", (_, a) => a.RelatedId),
        Text("reason", (_, a) => a.Reason),
        Integer("severity", (_, a) => (int)a.Severity),
        Integer("code", (_, a) => a.Code),
        Integer("notification", (_, a) => a.Notification ? 1 : 0),
        OptionalNumber("start_date_us", (_, a) => a.StartDate is { } start ? EventKeys.ToMicros(start) : null),
        OptionalNumber("end_date_us", (_, a) => a.EndDate is { } end ? EventKeys.ToMicros(end) : null),
        Json("stake_holders", (_, a) => EventJson.Strings(a.StakeHolders)),
        Json("notifications", (_, a) => EventJson.Strings(a.Notifications)),
        Json("resources", (_, a) => EventJson.Resources(a.Resources)),
        Json("labels", (_, a) => EventJson.Labels(a.Labels)),
        new EventColumn<string>("search_words", "text", NpgsqlDbType.Text, (e, a) => SearchWords.Of(e.Title, a.Message)),
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

    private static EventColumn<long> Number(string name, Func<Event, EventAttributes, long> read) => new(name, "bigint", NpgsqlDbType.Bigint, read);

    private static EventColumn<long?> OptionalNumber(string name, Func<Event, EventAttributes, long?> read) => new(name, "bigint", NpgsqlDbType.Bigint, read);

    private static EventColumn<int> Integer(string name, Func<Event, EventAttributes, int> read) => new(name, "integer", NpgsqlDbType.Integer, read);

    private static EventColumn<string> Text(string name, Func<Event, EventAttributes, string> read) => new(name, "text", NpgsqlDbType.Text, read);

    private static EventColumn<string> Json(string name, Func<Event, EventAttributes, string> read) => new(name, "jsonb", NpgsqlDbType.Jsonb, read);
}
