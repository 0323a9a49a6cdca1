using System.Globalization;
using Npgsql;
using Tracker.Events.Storage;
using Tracker.Events.Storage.Sql;

namespace Tracker.Events.Postgres;

/// <summary>
/// Turns an <see cref="EventQuery"/> into one statement that returns the page and the total
/// (counted up to the query's count limit, <see cref="SqlCount"/>) in a single round trip and a
/// single snapshot: a row per event (total, document, seq), each carrying the total (one row with
/// a null document when the page is empty).
/// </summary>
internal static class PostgresPageQuery
{
    public static NpgsqlCommand Build(EventQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var command = new NpgsqlCommand();
        var dialect = new PostgresSqlDialect(new PostgresQueryParameters(command.Parameters));
        var conditions = new SqlFilterCompiler(dialect).Compile(query.Criteria);
        var filter = conditions.Count == 0 ? dialect.True : string.Join(" AND ", conditions);
        var order = new SqlOrder(query.Order, dialect);

        // The total counts what the criteria match; only the page starts after the cursor.
        var page = query.After is { } after ? $"{filter} AND {order.After(after)}" : filter;
        var limit = dialect.Parameters.Integer(Math.Max(query.Limit, 0));
        var offset = dialect.Parameters.Integer(Math.Max(query.Offset, 0));

        // The page is chosen on its sort keys alone, which an index can give without the rows,
        // and only its documents are read: sorting whole rows would read every match's document.
        // The last key is unique (the id or seq), and finds the page's rows.
        var expressions = order.Expressions;
        var keys = string.Join(", ", expressions.Select((expression, i) => $"{expression} AS {KeyName(i)}"));
        command.CommandText = $"""
            SELECT c.total, e.document, e.seq
            FROM ({SqlCount.Select(" WHERE " + filter, query.CountLimit, dialect)}) AS c (total)
            LEFT JOIN LATERAL (
                SELECT {keys} FROM events
                WHERE {page}
                ORDER BY {order.OrderBy()}
                LIMIT {limit} OFFSET {offset}
            ) AS p ON true
            LEFT JOIN events AS e ON e.{expressions[^1]} = p.{KeyName(expressions.Count - 1)}
            ORDER BY {order.OrderBy((i, _) => "p." + KeyName(i))}
            """;
        return command;
    }

    // k0, k1, ..., the unique key last.
    private static string KeyName(int position) => "k" + position.ToString(CultureInfo.InvariantCulture);
}
