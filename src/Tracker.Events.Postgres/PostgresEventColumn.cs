using Npgsql;
using NpgsqlTypes;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Postgres;

/// <summary>
/// One column of the events table that is computed from the event: its name, its PostgreSQL
/// type, and how its value is read, as one parameter (a replace) or as one array of a batch
/// (an insert or the backfill, through unnest()).
/// </summary>
internal abstract class PostgresEventColumn(string name, string sqlType)
{
    public string Name { get; } = name;

    /// <summary>The type an array of this column's values is cast to in unnest().</summary>
    public string SqlType { get; } = sqlType;

    public abstract NpgsqlParameter Value(Event e);

    public abstract NpgsqlParameter Values(IReadOnlyList<Event> events);

    protected static EventAttributes AttributesOf(Event e) => e.Attributes ?? EmptyAttributes;

    private static readonly EventAttributes EmptyAttributes = new();
}

/// <summary>A column whose values are of the CLR type <typeparamref name="T"/>, sent as <paramref name="dbType"/>.</summary>
internal sealed class PostgresEventColumn<T>(string name, string sqlType, NpgsqlDbType dbType, Func<Event, EventAttributes, T> read)
    : PostgresEventColumn(name, sqlType)
{
    public override NpgsqlParameter Value(Event e) =>
        new NpgsqlParameter<T> { TypedValue = read(e, AttributesOf(e)), NpgsqlDbType = dbType };

    public override NpgsqlParameter Values(IReadOnlyList<Event> events)
    {
        var values = new T[events.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = read(events[i], AttributesOf(events[i]));
        }

        return new NpgsqlParameter<T[]> { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | dbType };
    }
}
