namespace Tracker.Events.Storage.Sql;

/// <summary>
/// Compiles <see cref="EventCriteria"/> into SQL conditions on the events table, for every store:
/// the node dispatch, the operators, presence and the two-valued logic are written here once, and
/// the store's <see cref="SqlDialect"/> gives only its parameters, wildcard tests, side tables or
/// jsonb, and full text. Every condition is two-valued (never NULL), so NOT inverts it exactly:
/// the text and number columns are NOT NULL, an optional time is tested for NULL first, and the
/// fields with many values are tests the dialect keeps two-valued.
/// </summary>
public sealed class SqlFilterCompiler(SqlDialect dialect)
{
    /// <summary>The conditions that must all hold, to join with AND; none when every event matches.</summary>
    public IReadOnlyList<string> Compile(EventCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var conditions = new List<string>();
        if (criteria.Where is AllOf all)
        {
            // The top-level terms stand alone, so that the planner sees each of them plainly.
            conditions.AddRange(all.Terms.Select(Node));
        }
        else
        {
            conditions.Add(Node(criteria.Where));
        }

        if (dialect.FullText(criteria.Words) is { } words)
        {
            conditions.Add(words);
        }

        if (criteria.AfterSequence is { } after)
        {
            conditions.Add($"{dialect.Column(SqlOrder.SequenceColumn)} > {dialect.Parameter(after)}");
        }

        return conditions;
    }

    /// <summary>One node as a condition.</summary>
    public string Node(FilterNode node) => node switch
    {
        AllOf all => Join(all.Terms, "AND", dialect.True),
        AnyOf any => Join(any.Terms, "OR", dialect.False),
        Negation negation => $"NOT ({Node(negation.Term)})",
        Comparison comparison => Compare(comparison),
        Presence presence => Present(presence),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "Unknown filter node."),
    };

    /// <summary>
    /// A text comparison of <paramref name="expression"/>: the orderings by the dialect's binary
    /// collation (UTF-8 byte order), the wildcards by the dialect's <see cref="SqlDialect.TextMatch"/>.
    /// </summary>
    public string TextCondition(string expression, Comparator comparator, string value) =>
        comparator is Comparator.Prefix or Comparator.Suffix or Comparator.Contains
            ? dialect.TextMatch(expression, comparator, value)
            : $"{expression} {Operator(comparator)} {dialect.Parameter(value)}";

    private string Join(IReadOnlyList<FilterNode> terms, string junction, string empty) =>
        terms.Count == 0 ? empty : "(" + string.Join($" {junction} ", terms.Select(Node)) + ")";

    private string Compare(Comparison c)
    {
        var field = Filterable(c.Field);
        CheckLabelKey(field, c.LabelKey, keyRequired: true);
        switch (field.Storage)
        {
            case ColumnStorage column:
                return Scalar(dialect.Column(column.Column), c);
            case EventTimeStorage time:
                return Scalar(dialect.Column(time.Column), c);
            case OptionalTimeColumnStorage optional:
                // NULL when unset: the comparison is false, and its negation true.
                var name = dialect.Column(optional.Column);
                return $"({name} IS NOT NULL AND {Scalar(name, c)})";
            case { Many: true } many:
                var value = Text(c);
                return dialect.AnyElement(many, new ElementTest(c.Comparator, value, c.LabelKey, element => TextCondition(element, c.Comparator, value)));
            default:
                throw new ArgumentOutOfRangeException(nameof(c), field.Storage, "Unknown storage shape.");
        }
    }

    private string Present(Presence p)
    {
        var field = Filterable(p.Field);
        CheckLabelKey(field, p.LabelKey, keyRequired: false);
        return field.Storage switch
        {
            ColumnStorage { AlwaysSet: true } => dialect.True,
            ColumnStorage column when field.Kind == FieldKind.Text => $"{dialect.Column(column.Column)} <> ''",
            ColumnStorage column => $"{dialect.Column(column.Column)} <> 0",

            // Set in the event, not the event time (which is never unset).
            EventTimeStorage time => $"{dialect.Column(time.SetColumn)} IS NOT NULL",
            OptionalTimeColumnStorage optional => $"{dialect.Column(optional.Column)} IS NOT NULL",
            { Many: true } many => dialect.AnyPresent(many, p.LabelKey),
            _ => throw new ArgumentOutOfRangeException(nameof(p), field.Storage, "Unknown storage shape."),
        };
    }

    private string Scalar(string column, Comparison c) =>
        c.Field.Kind == FieldKind.Text
            ? TextCondition(column, c.Comparator, Text(c))
            : NumberCondition(column, c.Comparator, Number(c));

    private string NumberCondition(string column, Comparator comparator, long value) =>
        comparator is Comparator.Prefix or Comparator.Suffix or Comparator.Contains
            ? throw new ArgumentException($"{comparator} applies to text only, not to {column}.", nameof(comparator))
            : $"{column} {Operator(comparator)} {dialect.Parameter(value)}";

    private static string Operator(Comparator comparator) => comparator switch
    {
        Comparator.Equal => "=",
        Comparator.Less => "<",
        Comparator.LessOrEqual => "<=",
        Comparator.Greater => ">",
        Comparator.GreaterOrEqual => ">=",
        _ => throw new ArgumentOutOfRangeException(nameof(comparator), comparator, "Not an ordering comparator."),
    };

    private static EventField Filterable(EventField field) =>
        field.Filterable ? field : throw new ArgumentOutOfRangeException(nameof(field), field, "Not a filter field.");

    // Labels alone take a key; a comparison of labels needs one.
    private static void CheckLabelKey(EventField field, string? labelKey, bool keyRequired)
    {
        if (field.Storage is not LabelMapStorage)
        {
            if (labelKey is not null)
            {
                throw new ArgumentException($"Only labels take a label key, not {field.Name}.", nameof(labelKey));
            }
        }
        else if (keyRequired && labelKey is null)
        {
            throw new ArgumentException("A comparison of labels needs a label key.", nameof(labelKey));
        }
    }

    private static string Text(Comparison c) =>
        c.Value.Text ?? throw new ArgumentException($"{c.Field.Name} compares with text, not a number.", nameof(c));

    private static long Number(Comparison c) =>
        c.Value.IsText
            ? throw new ArgumentException($"{c.Field.Name} compares with a number, not text.", nameof(c))
            : c.Value.Number;
}
