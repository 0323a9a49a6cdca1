using System.Text;
using Npgsql;
using Tracker.Events.Storage;

namespace Tracker.Events.Postgres;

/// <summary>
/// Turns an <see cref="EventQuery"/> into one statement that returns the page and the exact
/// total in a single round trip and a single snapshot: a row per event, each carrying the total
/// (one row with a null document when the page is empty).
/// </summary>
internal static class EventQuerySql
{
    public static NpgsqlCommand Build(EventQuery query)
    {
        var command = new NpgsqlCommand();
        var parameters = command.Parameters;
        var filter = Filter(query.Filter, parameters);
        var key = SortColumn(query.Order.Field);
        var direction = query.Order.Descending ? "DESC" : "ASC";

        var page = new StringBuilder(filter);
        if (query.After is { } after)
        {
            // A row comparison walks the (key, id) index from the cursor on.
            parameters.Add(new NpgsqlParameter<long> { TypedValue = after.SortKey });
            parameters.Add(EventRow.Text(after.Id));
            var comparison = query.Order.Descending ? "<" : ">";
            page.Append(CultureInvariant($" AND ({key}, id) {comparison} (${parameters.Count - 1}, ${parameters.Count})"));
        }

        parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Max(query.Limit, 0) });
        var limit = parameters.Count;
        parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Max(query.Offset, 0) });
        var offset = parameters.Count;

        // The page is chosen on (key, id) alone, which an index can give without the rows, and
        // only its documents are read: sorting whole rows would read every match's document.
        command.CommandText = CultureInvariant($"""
            SELECT c.total, e.document
            FROM (SELECT count(*) AS total FROM events WHERE {filter}) AS c
            LEFT JOIN LATERAL (
                SELECT {key} AS sort_key, id FROM events
                WHERE {page}
                ORDER BY {key} {direction}, id {direction}
                LIMIT ${limit} OFFSET ${offset}
            ) AS p ON true
            LEFT JOIN events AS e ON e.id = p.id
            ORDER BY p.sort_key {direction}, p.id {direction}
            """);
        return command;
    }

    public static string SortColumn(EventSortField field) => field switch
    {
        EventSortField.CreatedAt => "created_at_us",
        EventSortField.EventTime => "event_time_us",
        EventSortField.Priority => "priority",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Unknown sort field."),
    };

    private static string Filter(EventFilter filter, NpgsqlParameterCollection parameters)
    {
        var conditions = new List<string>();

        void Equal(string column, NpgsqlParameter value)
        {
            parameters.Add(value);
            conditions.Add(CultureInvariant($"{column} = ${parameters.Count}"));
        }

        void Bound(string comparison, DateTimeOffset value)
        {
            parameters.Add(new NpgsqlParameter<long> { TypedValue = EventKeys.ToMicros(value) });
            conditions.Add(CultureInvariant($"event_time_us {comparison} ${parameters.Count}"));
        }

        if (filter.Source is { } source) Equal("source", EventRow.Text(source));
        if (filter.Type is { } type) Equal("type", Int(type));
        if (filter.Priority is { } priority) Equal("priority", Int(priority));
        if (filter.Status is { } status) Equal("status", Int(status));
        if (filter.Service is { } service) Equal("service", EventRow.Text(service));
        if (filter.Environment is { } environment) Equal("environment", Int(environment));
        if (filter.Impact is { } impact) Equal("impact", Int(impact));
        if (filter.Owner is { } owner) Equal("owner", EventRow.Text(owner));
        if (filter.From is { } from) Bound(">=", from);
        if (filter.To is { } to) Bound("<=", to);

        return conditions.Count == 0 ? "true" : string.Join(" AND ", conditions);
    }

    private static NpgsqlParameter<int> Int<TEnum>(TEnum value)
        where TEnum : struct, Enum => new() { TypedValue = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) };

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}
