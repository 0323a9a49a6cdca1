using Tracker.Events.Storage;

namespace Tracker.Events.Sqlite;

/// <summary>
/// Compiles an <see cref="EventOrder"/>: its ORDER BY (the keys in turn, then the id in the first
/// key's direction, AIP-132), and the keyset condition of the rows strictly after a cursor. A key
/// that no two events share (seq, id) ends the order: what would follow it never decides, and
/// leaving it out lets the key's own index give the order, with no sort of ties.
/// </summary>
internal sealed class SqliteOrderCompiler(SqliteQueryParameters parameters)
{
    /// <summary>"k1 DESC, k2 ASC, id DESC".</summary>
    public static string OrderBy(EventOrder order) =>
        string.Join(", ", Keys(order).Select(k => $"{k.Expression} {(k.Descending ? "DESC" : "ASC")}"));

    /// <summary>
    /// The rows after <paramref name="cursor"/> in <paramref name="order"/>. With one direction
    /// throughout, a row-value comparison, which an index on the keys answers as a range;
    /// otherwise k1 &gt; v1 OR (k1 = v1 AND (k2 &lt; v2 OR (... AND id &gt; cid))), each key with
    /// the comparison of its own direction.
    /// </summary>
    public string After(EventOrder order, EventCursor cursor)
    {
        if (cursor.Keys.Count != order.Keys.Count)
        {
            throw new ArgumentException($"The cursor has {cursor.Keys.Count} values for {order.Keys.Count} sort keys.", nameof(cursor));
        }

        var keys = Keys(order);
        var values = keys.Select(k => k.CursorIndex is { } i ? Value(cursor.Keys[i]) : parameters.Add(cursor.Id)).ToArray();
        if (keys.All(k => k.Descending == keys[0].Descending))
        {
            return $"({string.Join(", ", keys.Select(k => k.Expression))}) {Beyond(keys[0].Descending)} ({string.Join(", ", values)})";
        }

        var condition = $"{keys[^1].Expression} {Beyond(keys[^1].Descending)} {values[^1]}";
        for (var i = keys.Length - 2; i >= 0; i--)
        {
            condition = $"({keys[i].Expression} {Beyond(keys[i].Descending)} {values[i]} OR ({keys[i].Expression} = {values[i]} AND {condition}))";
        }

        return condition;
    }

    /// <summary>The sort expressions, each with its direction and the cursor value it compares with (none: the id).</summary>
    private static (string Expression, bool Descending, int? CursorIndex)[] Keys(EventOrder order)
    {
        if (order.Keys.Count == 0)
        {
            throw new ArgumentException("An order needs at least one key.", nameof(order));
        }

        var keys = new List<(string, bool, int?)>();
        for (var i = 0; i < order.Keys.Count; i++)
        {
            var key = order.Keys[i];
            if (key.Field != EventField.Sequence && !EventFields.Info(key.Field).Sortable)
            {
                throw new ArgumentException($"{key.Field} has many values and does not sort.", nameof(order));
            }

            keys.Add((SqliteFieldColumns.Sort(key.Field), key.Descending, i));
            if (key.Field is EventField.Sequence or EventField.Id)
            {
                return [.. keys];
            }
        }

        keys.Add(("id", order.IdDescending, null));
        return [.. keys];
    }

    private static string Beyond(bool descending) => descending ? "<" : ">";

    private string Value(FilterValue value) => value.Text is { } text ? parameters.Add(text) : parameters.Add(value.Number);
}
