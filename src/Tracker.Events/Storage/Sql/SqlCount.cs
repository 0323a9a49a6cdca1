namespace Tracker.Events.Storage.Sql;

/// <summary>
/// The count of an <see cref="EventQuery"/>'s matches, for every store. With a
/// <see cref="EventQuery.CountLimit"/> the COUNT(*) runs over a subquery of at most
/// CountLimit + 1 matching rows, so that it stops reading one row past the limit, and the total
/// is CountLimit, a lower bound, when that extra row exists (Elasticsearch's track_total_hits:
/// `relation: gte`). Without one, every match is counted.
/// </summary>
public static class SqlCount
{
    /// <summary>
    /// The SELECT COUNT(*) of the events rows that hold <paramref name="where"/> (empty, or
    /// " WHERE " and a condition), over at most <paramref name="countLimit"/> + 1 of them when a
    /// limit is given (a parameter of <paramref name="dialect"/>).
    /// </summary>
    public static string Select(string where, long? countLimit, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return countLimit is { } limit
            ? $"SELECT COUNT(*) FROM (SELECT 1 FROM events{where} LIMIT {dialect.Parameter(limit + 1)}) AS counted"
            : $"SELECT COUNT(*) FROM events{where}";
    }

    /// <summary>
    /// The page, with the total that <see cref="Select"/>'s <paramref name="counted"/> gives:
    /// the count itself, exact, up to <paramref name="countLimit"/>; past it the limit, as a lower bound.
    /// </summary>
    public static EventPage Page(IReadOnlyList<StoredEvent> stored, long counted, long? countLimit) =>
        countLimit is { } limit && counted > limit
            ? new EventPage(stored, limit, totalCountExact: false)
            : new EventPage(stored, counted);
}
