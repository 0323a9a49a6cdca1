using System.Text;
using Tracker.Events.Storage;
using Tracker.Events.Storage.Sql;

namespace Tracker.Events.Sqlite;

/// <summary>
/// SQLite's hooks for the one SQL back end: $p parameters (<see cref="SqliteQueryParameters"/>),
/// wildcards on BLOBs, the side tables of the fields with many values (event_repeated_values,
/// event_resources, event_labels, each keyed by the event's seq, which is never NULL in them)
/// and FTS5. Text is compared BINARY, by its UTF-8 bytes.
/// </summary>
internal sealed class SqliteSqlDialect(SqliteQueryParameters parameters) : SqlDialect
{
    public const string RepeatedValues = "event_repeated_values";
    public const string Resources = "event_resources";
    public const string Labels = "event_labels";

    public override string True => "1";

    public override string False => "0";

    // long.MinValue, spelled so that SQLite reads an integer, not a real.
    public override string MinInt64 => "-9223372036854775807 - 1";

    public override string Parameter(string value) => parameters.Add(value);

    public override string Parameter(long value) => parameters.Add(value);

    /// <summary>
    /// Compares the bytes as BLOBs with substr and instr: no LIKE, so '%', '_' and '\' are data,
    /// case counts, and a NUL is a character (the text functions would stop at it).
    /// </summary>
    public override string TextMatch(string expression, Comparator comparator, string value)
    {
        if (value.Length == 0)
        {
            return True;
        }

        var bytes = parameters.Add(Encoding.UTF8.GetBytes(value));
        return comparator switch
        {
            // substr of an empty BLOB is NULL, not empty: coalesce keeps the test two-valued.
            Comparator.Prefix => $"coalesce(substr(CAST({expression} AS BLOB), 1, length({bytes})), x'') = {bytes}",
            Comparator.Suffix => $"coalesce(substr(CAST({expression} AS BLOB), -length({bytes})), x'') = {bytes}",
            Comparator.Contains => $"instr(CAST({expression} AS BLOB), {bytes}) > 0",
            _ => throw new ArgumentOutOfRangeException(nameof(comparator), comparator, "Not a wildcard."),
        };
    }

    public override string AnyElement(FieldStorage storage, ElementTest test) => storage switch
    {
        RepeatedTextStorage repeated => In(RepeatedValues, RowsOf(repeated), test.On("value")),
        ResourceMemberStorage member => In(Resources, test.On(member.Member)),
        LabelMapStorage => In(Labels, $"key = {parameters.Add(test.LabelKey!)}", test.On("value")),
        _ => throw new ArgumentOutOfRangeException(nameof(storage), storage, "Not a field with many values."),
    };

    public override string AnyPresent(FieldStorage storage, string? labelKey) => storage switch
    {
        // A repeated value or a label counts as it is; a resource when the member is set in it.
        RepeatedTextStorage repeated => In(RepeatedValues, RowsOf(repeated)),
        ResourceMemberStorage member => In(Resources, $"{member.Member} <> ''"),
        LabelMapStorage when labelKey is not null => In(Labels, $"key = {parameters.Add(labelKey)}"),
        LabelMapStorage => In(Labels),
        _ => throw new ArgumentOutOfRangeException(nameof(storage), storage, "Not a field with many values."),
    };

    public override string? FullText(IReadOnlyList<string> words) =>
        FullTextQuery(words) is { } match ? $"seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH {parameters.Add(match)})" : null;

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

    // event_repeated_values is shared: a field's rows carry its proto name, a declared constant.
    private static string RowsOf(RepeatedTextStorage repeated) => $"field = '{repeated.Name}'";

    private static string In(string table, params string[] conditions) =>
        conditions.Length == 0
            ? $"seq IN (SELECT seq FROM {table})"
            : $"seq IN (SELECT seq FROM {table} WHERE {string.Join(" AND ", conditions)})";
}
