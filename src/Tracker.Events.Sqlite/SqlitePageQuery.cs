using Microsoft.Data.Sqlite;
using Tracker.Events.Storage;
using Tracker.Events.Storage.Sql;

namespace Tracker.Events.Sqlite;

/// <summary>
/// The two statements of an <see cref="EventQuery"/>: the COUNT(*) of its criteria (up to its
/// count limit, <see cref="SqlCount"/>), and one page (documents and seqs) in its order, after its
/// cursor or from its offset. The store runs a query with full text (q) through
/// <see cref="SqliteFullTextPlan"/> instead.
/// </summary>
internal static class SqlitePageQuery
{
    /// <summary>Fills <paramref name="count"/> with the COUNT(*) of the criteria and <paramref name="page"/> with one page.</summary>
    public static void Build(EventQuery query, SqliteCommand count, SqliteCommand page)
    {
        var parameters = new SqliteQueryParameters();
        var dialect = new SqliteSqlDialect(parameters);
        var conditions = new List<string>(new SqlFilterCompiler(dialect).Compile(query.Criteria));
        count.CommandText = SqlCount.Select(Where(conditions), query.CountLimit, dialect);
        parameters.AddTo(count);

        var order = new SqlOrder(query.Order, dialect);
        if (query.After is { } after)
        {
            conditions.Add(order.After(after));
        }

        // The page is chosen on its keys alone, which an index can give without the rows, and
        // only its documents are read: sorting whole rows would read every match's document.
        var orderBy = "ORDER BY " + order.OrderBy();
        var limit = parameters.Add(query.Limit);
        var offset = parameters.Add(query.Offset);
        page.CommandText = $"SELECT doc, seq FROM events WHERE rowid IN (SELECT rowid FROM events{Where(conditions)} {orderBy} LIMIT {limit} OFFSET {offset}) {orderBy}";
        parameters.AddTo(page);
    }

    private static string Where(IReadOnlyList<string> conditions) =>
        conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
}
