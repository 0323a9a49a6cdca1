using Google.Protobuf;
using Npgsql;
using NpgsqlTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Postgres;

/// <summary>
/// An event as a row of the events table: the whole message as protobuf bytes, plus the
/// columns that searches and orders read, each computed as <see cref="EventKeys"/> defines it.
/// </summary>
internal static class EventRow
{
    /// <summary>The columns written from an event, in the order <see cref="AddValues"/> adds them.</summary>
    public static readonly string[] ValueColumns =
    [
        "created_at_us", "event_time_us", "priority", "type", "status", "environment", "impact",
        "service", "source", "owner", "etag", "document",
    ];

    /// <summary>Adds one positional parameter per entry of <see cref="ValueColumns"/>.</summary>
    public static void AddValues(NpgsqlParameterCollection parameters, Event e)
    {
        var attributes = e.Attributes ?? new EventAttributes();
        parameters.Add(new NpgsqlParameter<long> { TypedValue = EventKeys.CreatedAtMicros(e) });
        parameters.Add(new NpgsqlParameter<long> { TypedValue = EventKeys.EventTimeMicros(e) });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)attributes.Priority });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)attributes.Type });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)attributes.Status });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)attributes.Environment });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)attributes.Impact });
        parameters.Add(Text(attributes.Service));
        parameters.Add(Text(attributes.Source));
        parameters.Add(Text(attributes.Owner));
        parameters.Add(Text(e.Etag));
        parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = e.ToByteArray() });
    }

    /// <summary>
    /// Adds one array parameter per column, id and request_id first, then one per entry of
    /// <see cref="ValueColumns"/>: the rows of a batch insert through unnest().
    /// </summary>
    public static void AddArrays(NpgsqlParameterCollection parameters, IReadOnlyList<(Event Event, string? RequestId)> rows)
    {
        T[] Column<T>(Func<Event, EventAttributes, T> value) =>
            rows.Select(r => value(r.Event, r.Event.Attributes ?? new EventAttributes())).ToArray();

        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = Column((e, _) => e.Id), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = rows.Select(r => r.RequestId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<long[]> { TypedValue = Column((e, _) => EventKeys.CreatedAtMicros(e)) });
        parameters.Add(new NpgsqlParameter<long[]> { TypedValue = Column((e, _) => EventKeys.EventTimeMicros(e)) });
        parameters.Add(new NpgsqlParameter<int[]> { TypedValue = Column((_, a) => (int)a.Priority) });
        parameters.Add(new NpgsqlParameter<int[]> { TypedValue = Column((_, a) => (int)a.Type) });
        parameters.Add(new NpgsqlParameter<int[]> { TypedValue = Column((_, a) => (int)a.Status) });
        parameters.Add(new NpgsqlParameter<int[]> { TypedValue = Column((_, a) => (int)a.Environment) });
        parameters.Add(new NpgsqlParameter<int[]> { TypedValue = Column((_, a) => (int)a.Impact) });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = Column((_, a) => a.Service), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = Column((_, a) => a.Source), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = Column((_, a) => a.Owner), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = Column((e, _) => e.Etag), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = Column((e, _) => e.ToByteArray()) });
    }

    public static NpgsqlParameter Text(string? value) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    public static Event Read(NpgsqlDataReader reader, int ordinal) =>
        Event.Parser.ParseFrom(reader.GetFieldValue<byte[]>(ordinal));
}
