using System.Text;
using Tracker.Events.Storage;

namespace Tracker.Events.Sqlite;

/// <summary>
/// Compiles <see cref="EventCriteria"/> into SQL conditions on the events table (the spec of
/// issue 11): the expression tree, the full-text words (FTS5) and the commit position. Every
/// value becomes a parameter of <paramref name="parameters"/>; only names from
/// <see cref="SqliteFieldColumns"/> are spliced in. Every condition is two-valued (never NULL),
/// so NOT inverts it exactly: the text and number columns are NOT NULL, end_date is tested for
/// NULL first, and the fields with many values are IN tests on side tables whose seqs are never
/// NULL. (An events row's seq is NULL only until the migration's backfill, which ends before the
/// store is queried.)
/// </summary>
internal sealed class SqliteFilterCompiler(SqliteQueryParameters parameters)
{
    /// <summary>The conditions that must all hold, to join with AND; none when every event matches.</summary>
    public IReadOnlyList<string> Compile(EventCriteria criteria)
    {
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

        if (FullTextQuery(criteria.Words) is { } match)
        {
            conditions.Add($"seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH {parameters.Add(match)})");
        }

        if (criteria.AfterSequence is { } after)
        {
            conditions.Add($"seq > {parameters.Add(after)}");
        }

        return conditions;
    }

    /// <summary>
    /// The FTS5 query of the words: each a quoted phrase with a prefix star, all required
    /// ('"w1"* AND "w2"*'). The words hold no operator (FullTextWords); quotes are doubled
    /// anyway, so that no word can be anything but a phrase. Null without words.
    /// </summary>
    public static string? FullTextQuery(IReadOnlyList<string> words)
    {
        var phrases = words.Where(w => w.Length > 0).Select(w => "\"" + w.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"*").ToArray();
        return phrases.Length == 0 ? null : string.Join(" AND ", phrases);
    }

    private string Node(FilterNode node) => node switch
    {
        AllOf all => Join(all.Terms, "AND", empty: "1"),
        AnyOf any => Join(any.Terms, "OR", empty: "0"),
        Negation negation => $"NOT ({Node(negation.Term)})",
        Comparison comparison => Compare(comparison),
        Presence presence => Present(presence),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "Unknown filter node."),
    };

    private string Join(IReadOnlyList<FilterNode> terms, string junction, string empty) =>
        terms.Count == 0 ? empty : "(" + string.Join($" {junction} ", terms.Select(Node)) + ")";

    private string Compare(Comparison comparison)
    {
        var info = FilterableField(comparison.Field);
        if (info.Many)
        {
            var (table, column, rows) = SqliteFieldColumns.Many(comparison.Field);
            var conditions = new List<string>();
            AddRowConditions(conditions, rows, comparison.Field, comparison.LabelKey, keyRequired: true);
            conditions.Add(TextCondition(column, comparison.Comparator, Text(comparison)));
            return In(table, conditions);
        }

        RejectLabelKey(comparison.Field, comparison.LabelKey);
        var scalar = SqliteFieldColumns.Scalar(comparison.Field);
        var condition = info.Kind == FieldKind.Text
            ? TextCondition(scalar, comparison.Comparator, Text(comparison))
            : NumberCondition(scalar, comparison.Comparator, Number(comparison));

        // An unset end_date is NULL: the comparison is false, and its negation true.
        return comparison.Field == EventField.EndDate ? $"(end_date_us IS NOT NULL AND {condition})" : condition;
    }

    private string Present(Presence presence)
    {
        var info = FilterableField(presence.Field);
        if (info.Many)
        {
            var (table, column, rows) = SqliteFieldColumns.Many(presence.Field);
            var conditions = new List<string>();
            AddRowConditions(conditions, rows, presence.Field, presence.LabelKey, keyRequired: false);

            // A resource counts when the field is set in it; a repeated value or a label counts as it is.
            if (presence.Field is EventField.ResourceKind or EventField.ResourceId or EventField.ResourceName or EventField.ResourceNamespace)
            {
                conditions.Add($"{column} <> ''");
            }

            return In(table, conditions);
        }

        RejectLabelKey(presence.Field, presence.LabelKey);
        return presence.Field switch
        {
            EventField.CreatedAt or EventField.UpdatedAt => "1",

            // Set in the event, not the event time (which is never unset).
            EventField.StartDate => "start_date_us IS NOT NULL",
            EventField.EndDate => "end_date_us IS NOT NULL",
            _ when info.Kind == FieldKind.Text => $"{SqliteFieldColumns.Scalar(presence.Field)} <> ''",
            _ => $"{SqliteFieldColumns.Scalar(presence.Field)} <> 0",
        };
    }

    /// <summary>The conditions that pick a field's side rows: its rows of a shared table, and a label's key.</summary>
    private void AddRowConditions(List<string> conditions, string? rows, EventField field, string? labelKey, bool keyRequired)
    {
        if (rows is not null)
        {
            conditions.Add(rows);
        }

        if (field != EventField.Labels)
        {
            RejectLabelKey(field, labelKey);
            return;
        }

        if (labelKey is not null)
        {
            conditions.Add($"key = {parameters.Add(labelKey)}");
        }
        else if (keyRequired)
        {
            throw new ArgumentException("A comparison of labels needs a label key.", nameof(labelKey));
        }
    }

    private static string In(string table, List<string> conditions) =>
        conditions.Count == 0
            ? $"seq IN (SELECT seq FROM {table})"
            : $"seq IN (SELECT seq FROM {table} WHERE {string.Join(" AND ", conditions)})";

    /// <summary>
    /// A text comparison by UTF-8 bytes. The wildcards compare the bytes as BLOBs with substr and
    /// instr: no LIKE, so '%', '_' and '\' are data, case counts, and a NUL is a character (the
    /// text functions would stop at it).
    /// </summary>
    private string TextCondition(string column, Comparator comparator, string value)
    {
        if (comparator is Comparator.Prefix or Comparator.Suffix or Comparator.Contains)
        {
            if (value.Length == 0)
            {
                return "1";
            }

            var bytes = parameters.Add(Encoding.UTF8.GetBytes(value));
            return comparator switch
            {
                // substr of an empty BLOB is NULL, not empty: coalesce keeps the test two-valued.
                Comparator.Prefix => $"coalesce(substr(CAST({column} AS BLOB), 1, length({bytes})), x'') = {bytes}",
                Comparator.Suffix => $"coalesce(substr(CAST({column} AS BLOB), -length({bytes})), x'') = {bytes}",
                _ => $"instr(CAST({column} AS BLOB), {bytes}) > 0",
            };
        }

        return $"{column} {Operator(comparator)} {parameters.Add(value)}";
    }

    private string NumberCondition(string column, Comparator comparator, long value) =>
        comparator is Comparator.Prefix or Comparator.Suffix or Comparator.Contains
            ? throw new ArgumentException($"{comparator} applies to text only, not to {column}.", nameof(comparator))
            : $"{column} {Operator(comparator)} {parameters.Add(value)}";

    private static string Operator(Comparator comparator) => comparator switch
    {
        Comparator.Equal => "=",
        Comparator.Less => "<",
        Comparator.LessOrEqual => "<=",
        Comparator.Greater => ">",
        Comparator.GreaterOrEqual => ">=",
        _ => throw new ArgumentOutOfRangeException(nameof(comparator), comparator, "Not an ordering comparator."),
    };

    private static EventFieldInfo FilterableField(EventField field) =>
        EventFields.All.FirstOrDefault(f => f.Field == field)
            ?? throw new ArgumentOutOfRangeException(nameof(field), field, "Not a filter field.");

    private static void RejectLabelKey(EventField field, string? labelKey)
    {
        if (labelKey is not null)
        {
            throw new ArgumentException($"Only labels take a label key, not {field}.", nameof(labelKey));
        }
    }

    private static string Text(Comparison comparison) =>
        comparison.Value.Text ?? throw new ArgumentException($"{comparison.Field} compares with text, not a number.", nameof(comparison));

    private static long Number(Comparison comparison) =>
        comparison.Value.IsText
            ? throw new ArgumentException($"{comparison.Field} compares with a number, not text.", nameof(comparison))
            : comparison.Value.Number;
}
