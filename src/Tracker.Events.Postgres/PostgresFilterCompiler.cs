using Tracker.Events.Storage;

namespace Tracker.Events.Postgres;

/// <summary>
/// Turns <see cref="EventCriteria"/> into one boolean SQL expression over the events table,
/// every value a typed parameter. Each node compiles to an expression that is never NULL (an
/// unset end_date or an absent label makes a comparison false, not NULL), so NOT means
/// "does not hold". Text compares in the "C" collation, by code point as UTF-8 bytes do; the
/// wildcards use starts_with, right and strpos, never LIKE, so '%', '_' and '\' are data.
/// Equality on labels, resources and the repeated fields is written with @>, and label
/// presence with ?, which their GIN indexes serve.
/// </summary>
internal sealed class PostgresFilterCompiler(PositionalParameters parameters)
{
    // Text taken out of jsonb has the database's default collation: compare it as the columns do.
    private const string Binary = " COLLATE \"C\"";

    /// <summary>The expression, the full-text words and the commit position, ANDed.</summary>
    public string Compile(EventCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var conditions = new List<string> { Compile(criteria.Where) };
        var words = criteria.Words.Where(w => w.Length > 0).ToArray();
        if (words.Length > 0)
        {
            conditions.Add($"{SearchWords.Vector} @@ {parameters.Text(SearchWords.Query(words))}::tsquery");
        }

        if (criteria.AfterSequence is { } after)
        {
            conditions.Add($"seq > {parameters.Number(after)}");
        }

        return string.Join(" AND ", conditions);
    }

    public string Compile(FilterNode node) => node switch
    {
        AllOf { Terms.Count: 0 } => "true",
        AllOf all => "(" + string.Join(" AND ", all.Terms.Select(Compile)) + ")",
        AnyOf { Terms.Count: 0 } => "false",
        AnyOf any => "(" + string.Join(" OR ", any.Terms.Select(Compile)) + ")",
        Negation negation => "(NOT " + Compile(negation.Term) + ")",
        Comparison comparison => CompileComparison(comparison),
        Presence presence => CompilePresence(presence),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "Unknown filter node."),
    };

    private string CompileComparison(Comparison c) => c.Field switch
    {
        EventField.Labels => LabelComparison(c),
        EventField.StakeHolders or EventField.Notifications => ElementComparison(EventFieldSql.ArrayColumn(c.Field), c),
        EventField.ResourceKind or EventField.ResourceId or EventField.ResourceName or EventField.ResourceNamespace => ResourceComparison(EventFieldSql.ResourceKey(c.Field), c),
        EventField.EndDate => $"COALESCE({NumberCondition(EventFieldSql.Column(c.Field), c)}, false)",
        EventField.Sequence => throw new ArgumentOutOfRangeException(nameof(c), c.Field, "Sequence is not a filter field."),
        _ when EventFieldSql.IsText(c.Field) => TextCondition(EventFieldSql.Column(c.Field), c.Comparator, TextValue(c)),
        _ => NumberCondition(EventFieldSql.Column(c.Field), c),
    };

    private string CompilePresence(Presence p) => p.Field switch
    {
        EventField.Labels when p.LabelKey is null => "labels <> '{}'::jsonb",
        EventField.Labels => $"labels ? {parameters.Text(p.LabelKey)}",
        EventField.StakeHolders or EventField.Notifications => $"{EventFieldSql.ArrayColumn(p.Field)} <> '[]'::jsonb",
        EventField.ResourceKind or EventField.ResourceId or EventField.ResourceName or EventField.ResourceNamespace =>
            $"EXISTS (SELECT 1 FROM jsonb_array_elements(resources) AS resource(value) WHERE resource.value ->> '{EventFieldSql.ResourceKey(p.Field)}' <> '')",
        EventField.CreatedAt or EventField.UpdatedAt => "true",
        EventField.StartDate => "start_date_us IS NOT NULL",
        EventField.EndDate => "end_date_us IS NOT NULL",
        EventField.Sequence => throw new ArgumentOutOfRangeException(nameof(p), p.Field, "Sequence is not a filter field."),
        _ when EventFieldSql.IsText(p.Field) => $"{EventFieldSql.Column(p.Field)} <> ''",
        _ => $"{EventFieldSql.Column(p.Field)} <> 0",
    };

    /// <summary>
    /// The value of the label's key. An absent key compares false: "labels ? key" is false
    /// then, and lets the GIN index narrow the rows the other comparators read.
    /// </summary>
    private string LabelComparison(Comparison c)
    {
        var key = parameters.Text(LabelKey(c.LabelKey));
        var value = TextValue(c);
        return c.Comparator == Comparator.Equal
            ? $"labels @> jsonb_build_object({key}, {parameters.Text(value)})"
            : $"(labels ? {key} AND {TextCondition($"(labels ->> {key}){Binary}", c.Comparator, value)})";
    }

    /// <summary>Holds when any element of the jsonb array of strings does.</summary>
    private string ElementComparison(string column, Comparison c)
    {
        var value = TextValue(c);
        return c.Comparator == Comparator.Equal
            ? $"{column} @> jsonb_build_array({parameters.Text(value)})"
            : $"EXISTS (SELECT 1 FROM jsonb_array_elements_text({column}) AS element(value) WHERE {TextCondition("element.value" + Binary, c.Comparator, value)})";
    }

    /// <summary>Holds when any resource's field does.</summary>
    private string ResourceComparison(string key, Comparison c)
    {
        var value = TextValue(c);
        return c.Comparator == Comparator.Equal
            ? $"resources @> jsonb_build_array(jsonb_build_object('{key}', {parameters.Text(value)}))"
            : $"EXISTS (SELECT 1 FROM jsonb_array_elements(resources) AS resource(value) WHERE {TextCondition($"(resource.value ->> '{key}'){Binary}", c.Comparator, value)})";
    }

    private string TextCondition(string expression, Comparator comparator, string value)
    {
        var p = parameters.Text(value);
        return comparator switch
        {
            Comparator.Equal => $"{expression} = {p}",
            Comparator.Less => $"{expression} < {p}",
            Comparator.LessOrEqual => $"{expression} <= {p}",
            Comparator.Greater => $"{expression} > {p}",
            Comparator.GreaterOrEqual => $"{expression} >= {p}",
            Comparator.Prefix => $"starts_with({expression}, {p})",
            Comparator.Suffix => $"right({expression}, char_length({p})) = {p}",
            Comparator.Contains => $"strpos({expression}, {p}) > 0",
            _ => throw new ArgumentOutOfRangeException(nameof(comparator), comparator, "Unknown comparator."),
        };
    }

    private string NumberCondition(string column, Comparison c)
    {
        if (c.Value.IsText)
        {
            throw new ArgumentException($"{c.Field} compares with a number, not text.", nameof(c));
        }

        var op = c.Comparator switch
        {
            Comparator.Equal => "=",
            Comparator.Less => "<",
            Comparator.LessOrEqual => "<=",
            Comparator.Greater => ">",
            Comparator.GreaterOrEqual => ">=",
            _ => throw new ArgumentException($"{c.Comparator} applies to text fields only, not {c.Field}.", nameof(c)),
        };
        return $"{column} {op} {parameters.Number(c.Value.Number)}";
    }

    private static string TextValue(Comparison c) =>
        c.Value.Text ?? throw new ArgumentException($"{c.Field} compares with text, not a number.", nameof(c));

    private static string LabelKey(string? key) =>
        key ?? throw new ArgumentException("A labels term needs its key.", nameof(key));
}
