using Tracker.Events.Storage;

namespace Tracker.Events.Postgres;

/// <summary>
/// The SQL of an <see cref="EventOrder"/>: its keys' sort expressions (<see cref="EventKeys.SortValue"/>),
/// each in its direction, then the id in the first key's direction, and the keyset condition
/// that keeps the rows strictly after a cursor in that order.
/// </summary>
internal sealed class EventOrderSql
{
    private readonly IReadOnlyList<(string Expression, bool Descending)> _terms;

    public EventOrderSql(EventOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.Keys.Count == 0)
        {
            throw new ArgumentException("An order needs at least one key.", nameof(order));
        }

        _terms = [.. order.Keys.Select(k => (EventFieldSql.SortExpression(SortableField(k.Field)), k.Descending)), ("id", order.IdDescending)];
        Order = order;
    }

    public EventOrder Order { get; }

    /// <summary>The sort expressions, the id last.</summary>
    public IEnumerable<string> Expressions => _terms.Select(t => t.Expression);

    /// <summary>"k1 DESC, k2 ASC, id DESC", each expression named by <paramref name="name"/>(position, expression).</summary>
    public string OrderBy(Func<int, string, string> name) =>
        string.Join(", ", _terms.Select((t, i) => name(i, t.Expression) + (t.Descending ? " DESC" : " ASC")));

    /// <summary>
    /// The rows strictly after <paramref name="cursor"/>: k1 &gt; v1 OR (k1 = v1 AND (k2 &gt; v2 OR
    /// (... AND id &gt; cid))), with &lt; for descending keys. When every term goes one way, the
    /// equivalent row comparison (k1, ..., id) &gt; (v1, ..., cid), which a (key, id) index walks.
    /// </summary>
    public string After(EventCursor cursor, PositionalParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        if (cursor.Keys.Count != Order.Keys.Count)
        {
            throw new ArgumentException($"The cursor has {cursor.Keys.Count} values for an order of {Order.Keys.Count} keys.", nameof(cursor));
        }

        var values = Order.Keys.Select((k, i) => CursorValue(k.Field, cursor.Keys[i], parameters)).Append(parameters.Text(cursor.Id)).ToArray();
        if (_terms.All(t => t.Descending == _terms[0].Descending))
        {
            var op = _terms[0].Descending ? "<" : ">";
            return $"({string.Join(", ", Expressions)}) {op} ({string.Join(", ", values)})";
        }

        var condition = Strictly(_terms.Count - 1, values[^1]);
        for (var i = _terms.Count - 2; i >= 0; i--)
        {
            condition = $"({Strictly(i, values[i])} OR ({_terms[i].Expression} = {values[i]} AND {condition}))";
        }

        return condition;
    }

    private string Strictly(int term, string value) =>
        $"{_terms[term].Expression} {(_terms[term].Descending ? "<" : ">")} {value}";

    private static string CursorValue(EventField field, FilterValue value, PositionalParameters parameters)
    {
        if (EventFieldSql.IsText(field))
        {
            return parameters.Text(value.Text ?? throw new ArgumentException($"The cursor's {field} value must be text.", nameof(value)));
        }

        if (value.IsText)
        {
            throw new ArgumentException($"The cursor's {field} value must be a number.", nameof(value));
        }

        return parameters.Number(value.Number);
    }

    private static EventField SortableField(EventField field) =>
        field == EventField.Sequence || EventFields.Info(field).Sortable
            ? field
            : throw new ArgumentException($"{field} holds many values and cannot order events.", nameof(field));
}
