namespace Tracker.Events.Storage.Sql;

/// <summary>
/// The SQL of an <see cref="EventOrder"/>, for every store: its keys' sort expressions (what
/// <see cref="EventField.SortValue"/> gives), each in its direction, then the id in the first key's
/// direction (AIP-132), and the keyset condition of the rows strictly after a cursor. A key that
/// no two events share (<see cref="EventField.Unique"/>: the id, the commit position) ends the
/// order: what would follow it never decides, and leaving it out lets the key's own index give
/// the order, with no sort of ties.
/// </summary>
public sealed class SqlOrder
{
    /// <summary>The commit position's column.</summary>
    public static readonly string SequenceColumn = ((ColumnStorage)EventField.Sequence.Storage).Column;

    private readonly SqlDialect _dialect;
    private readonly IReadOnlyList<Term> _terms;

    public SqlOrder(EventOrder order, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.Keys.Count == 0)
        {
            throw new ArgumentException("An order needs at least one key.", nameof(order));
        }

        _dialect = dialect;
        Order = order;
        var terms = new List<Term>();
        for (var i = 0; i < order.Keys.Count; i++)
        {
            var key = order.Keys[i];
            terms.Add(new Term(SortExpression(key.Field), key.Descending, key.Field, i));
            if (key.Field.Unique)
            {
                _terms = terms;
                return;
            }
        }

        terms.Add(new Term(dialect.Column(((ColumnStorage)EventField.Id.Storage).Column), order.IdDescending, EventField.Id, null));
        _terms = terms;
    }

    public EventOrder Order { get; }

    /// <summary>The sort expressions in turn; the last is a unique key's column (the id or the commit position).</summary>
    public IReadOnlyList<string> Expressions => _terms.Select(t => t.Expression).ToArray();

    /// <summary>"k1 DESC, k2 ASC, id DESC".</summary>
    public string OrderBy() => OrderBy((_, expression) => expression);

    /// <summary>As <see cref="OrderBy()"/>, each expression named by <paramref name="name"/>(position, expression).</summary>
    public string OrderBy(Func<int, string, string> name) =>
        string.Join(", ", _terms.Select((t, i) => $"{name(i, t.Expression)} {(t.Descending ? "DESC" : "ASC")}"));

    /// <summary>
    /// The rows strictly after <paramref name="cursor"/>. With one direction throughout, a
    /// row-value comparison (k1, ..., id) &gt; (v1, ..., cid), which an index on the keys answers
    /// as a range; otherwise k1 &gt; v1 OR (k1 = v1 AND (k2 &lt; v2 OR (... AND id &gt; cid))), each
    /// key with the comparison of its own direction.
    /// </summary>
    public string After(EventCursor cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        if (cursor.Keys.Count != Order.Keys.Count)
        {
            throw new ArgumentException($"The cursor has {cursor.Keys.Count} values for {Order.Keys.Count} sort keys.", nameof(cursor));
        }

        var values = _terms.Select(t => Value(t.Field, t.CursorIndex is { } i ? cursor.Keys[i] : FilterValue.Of(cursor.Id))).ToArray();
        if (_terms.All(t => t.Descending == _terms[0].Descending))
        {
            return $"({string.Join(", ", _terms.Select(t => t.Expression))}) {Beyond(_terms[0].Descending)} ({string.Join(", ", values)})";
        }

        var condition = $"{_terms[^1].Expression} {Beyond(_terms[^1].Descending)} {values[^1]}";
        for (var i = _terms.Count - 2; i >= 0; i--)
        {
            condition = $"({_terms[i].Expression} {Beyond(_terms[i].Descending)} {values[i]} OR ({_terms[i].Expression} = {values[i]} AND {condition}))";
        }

        return condition;
    }

    /// <summary>What <paramref name="field"/> sorts by, as its <see cref="EventField.SortValue"/> defines it.</summary>
    private string SortExpression(EventField field) => field.Storage switch
    {
        ColumnStorage column => _dialect.Column(column.Column),

        // start_date sorts as the event time.
        EventTimeStorage time => _dialect.Column(time.Column),

        // An unset time sorts before every date.
        OptionalTimeColumnStorage optional => $"COALESCE({_dialect.Column(optional.Column)}, {_dialect.MinInt64})",
        _ => throw new ArgumentException($"{field.Name} has many values and does not sort.", nameof(field)),
    };

    private static string Beyond(bool descending) => descending ? "<" : ">";

    private string Value(EventField field, FilterValue value) => field.Kind == FieldKind.Text
        ? _dialect.Parameter(value.Text ?? throw new ArgumentException($"The cursor's {field.Name} value must be text.", nameof(value)))
        : value.IsText
            ? throw new ArgumentException($"The cursor's {field.Name} value must be a number.", nameof(value))
            : _dialect.Parameter(value.Number);

    private sealed record Term(string Expression, bool Descending, EventField Field, int? CursorIndex);
}
