using System.Text;
using Microsoft.Data.Sqlite;
using Tracker.Events.Storage;

namespace Tracker.Events.Sqlite;

/// <summary>
/// Builds the SQL of an EventQuery: a WHERE clause from the filter, an ORDER BY on the sort
/// column with the id as tie-break, and, for keyset paging, a row-value comparison that starts
/// strictly after the cursor. Every value is a parameter; only column names are spliced in, and
/// they come from a closed set.
/// </summary>
internal static class SqliteQueryBuilder
{
    public static string SortColumn(EventSortField field) => field switch
    {
        EventSortField.CreatedAt => "created_at_us",
        EventSortField.EventTime => "event_time_us",
        EventSortField.Priority => "priority",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>Fills <paramref name="count"/> with the COUNT(*) of the filter and <paramref name="page"/> with one page.</summary>
    public static void Build(EventQuery query, SqliteCommand count, SqliteCommand page)
    {
        var where = new StringBuilder();
        AddFilter(query.Filter, where, count.Parameters);
        AddFilter(query.Filter, where.Clear(), page.Parameters);
        var filterSql = where.ToString();
        count.CommandText = "SELECT COUNT(*) FROM events" + Where(filterSql);

        var column = SortColumn(query.Order.Field);
        var direction = query.Order.Descending ? "DESC" : "ASC";
        var pageWhere = new StringBuilder(filterSql);
        if (query.After is { } after)
        {
            And(pageWhere, $"({column}, id) {(query.Order.Descending ? "<" : ">")} ($after_key, $after_id)");
            page.Parameters.AddWithValue("$after_key", after.SortKey);
            page.Parameters.AddWithValue("$after_id", after.Id);
        }

        // The page is chosen on (key, id) alone, which an index can give without the rows, and
        // only its documents are read: sorting whole rows would read every match's document.
        var order = $"ORDER BY {column} {direction}, id {direction}";
        page.CommandText = $"SELECT doc FROM events WHERE rowid IN (SELECT rowid FROM events{Where(pageWhere.ToString())} {order} LIMIT $limit OFFSET $offset) {order}";
        page.Parameters.AddWithValue("$limit", query.Limit);
        page.Parameters.AddWithValue("$offset", query.Offset);
    }

    private static void AddFilter(EventFilter filter, StringBuilder where, SqliteParameterCollection parameters)
    {
        Equal(where, parameters, "source", filter.Source);
        Equal(where, parameters, "type", (int?)filter.Type);
        Equal(where, parameters, "priority", (int?)filter.Priority);
        Equal(where, parameters, "status", (int?)filter.Status);
        Equal(where, parameters, "service", filter.Service);
        Equal(where, parameters, "environment", (int?)filter.Environment);
        Equal(where, parameters, "impact", (int?)filter.Impact);
        Equal(where, parameters, "owner", filter.Owner);
        if (filter.From is { } from)
        {
            And(where, "event_time_us >= $from");
            parameters.AddWithValue("$from", EventKeys.ToMicros(from));
        }

        if (filter.To is { } to)
        {
            And(where, "event_time_us <= $to");
            parameters.AddWithValue("$to", EventKeys.ToMicros(to));
        }
    }

    private static void Equal(StringBuilder where, SqliteParameterCollection parameters, string column, object? value)
    {
        if (value is null)
        {
            return;
        }

        And(where, $"{column} = ${column}");
        parameters.AddWithValue("$" + column, value);
    }

    private static void And(StringBuilder where, string condition) =>
        where.Append(where.Length == 0 ? string.Empty : " AND ").Append(condition);

    private static string Where(string conditions) => conditions.Length == 0 ? string.Empty : " WHERE " + conditions;
}
