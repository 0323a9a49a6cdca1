using System.Globalization;
using Npgsql;
using Tracker.Events.Storage;

namespace Tracker.Events.Postgres;

/// <summary>
/// Turns an <see cref="EventQuery"/> into one statement that returns the page and the exact
/// total in a single round trip and a single snapshot: a row per event (total, document, seq),
/// each carrying the total (one row with a null document when the page is empty).
/// </summary>
internal static class EventQuerySql
{
    public static NpgsqlCommand Build(EventQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var command = new NpgsqlCommand();
        var parameters = new PositionalParameters(command.Parameters);
        var filter = new PostgresFilterCompiler(parameters).Compile(query.Criteria);
        var order = new EventOrderSql(query.Order);

        // The total counts what the criteria match; only the page starts after the cursor.
        var page = query.After is { } after ? $"{filter} AND {order.After(after, parameters)}" : filter;
        var limit = parameters.Integer(Math.Max(query.Limit, 0));
        var offset = parameters.Integer(Math.Max(query.Offset, 0));

        // The page is chosen on its sort keys and ids alone, which an index can give without the
        // rows, and only its documents are read: sorting whole rows would read every match's document.
        var keys = string.Join(", ", order.Expressions.Select((expression, i) => $"{expression} AS {KeyName(i)}"));
        command.CommandText = $"""
            SELECT c.total, e.document, e.seq
            FROM (SELECT count(*) AS total FROM events WHERE {filter}) AS c
            LEFT JOIN LATERAL (
                SELECT {keys} FROM events
                WHERE {page}
                ORDER BY {order.OrderBy((_, expression) => expression)}
                LIMIT {limit} OFFSET {offset}
            ) AS p ON true
            LEFT JOIN events AS e ON e.id = p.{KeyName(order.Expressions.Count() - 1)}
            ORDER BY {order.OrderBy((i, _) => "p." + KeyName(i))}
            """;
        return command;
    }

    // The id is the last key: k0, k1, ..., then the id.
    private static string KeyName(int position) => "k" + position.ToString(CultureInfo.InvariantCulture);
}
