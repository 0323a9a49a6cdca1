using System.Globalization;
using Tracker.Events.Storage;
using Tracker.Events.Storage.Sql;

namespace Tracker.Events.Postgres;

/// <summary>
/// PostgreSQL's hooks for the one SQL back end: typed positional parameters
/// (<see cref="PostgresQueryParameters"/>), wildcards with starts_with, right and strpos (never
/// LIKE, so '%', '_' and '\' are data), the jsonb columns of the fields with many values, and the
/// tsquery of <see cref="PostgresSearchWords"/>. Text compares in the "C" collation, by code point as
/// UTF-8 bytes do. Equality on labels, resources and the repeated fields is written with @>, and
/// label presence with ?, which their GIN indexes serve.
/// </summary>
internal sealed class PostgresSqlDialect(PostgresQueryParameters parameters) : SqlDialect
{
    public const string ResourcesColumn = "resources";
    public const string LabelsColumn = "labels";

    // Text taken out of jsonb has the database's default collation: compare it as the columns do.
    private const string Binary = " COLLATE \"C\"";

    /// <summary>The statement's parameters, for the values the back end does not add (LIMIT, OFFSET).</summary>
    public PostgresQueryParameters Parameters => parameters;

    public override string True => "true";

    public override string False => "false";

    public override string MinInt64 => "(" + long.MinValue.ToString(CultureInfo.InvariantCulture) + ")::bigint";

    public override string Parameter(string value) => parameters.Text(value);

    public override string Parameter(long value) => parameters.Number(value);

    public override string TextMatch(string expression, Comparator comparator, string value)
    {
        var p = parameters.Text(value);
        return comparator switch
        {
            Comparator.Prefix => $"starts_with({expression}, {p})",
            Comparator.Suffix => $"right({expression}, char_length({p})) = {p}",
            Comparator.Contains => $"strpos({expression}, {p}) > 0",
            _ => throw new ArgumentOutOfRangeException(nameof(comparator), comparator, "Not a wildcard."),
        };
    }

    public override string AnyElement(FieldStorage storage, ElementTest test) => storage switch
    {
        RepeatedTextStorage repeated => test.Comparator == Comparator.Equal
            ? $"{repeated.Name} @> jsonb_build_array({parameters.Text(test.Value)})"
            : $"EXISTS (SELECT 1 FROM jsonb_array_elements_text({repeated.Name}) AS element(value) WHERE {test.On("element.value" + Binary)})",
        ResourceMemberStorage member => test.Comparator == Comparator.Equal
            ? $"{ResourcesColumn} @> jsonb_build_array(jsonb_build_object('{member.Member}', {parameters.Text(test.Value)}))"
            : $"EXISTS (SELECT 1 FROM jsonb_array_elements({ResourcesColumn}) AS resource(value) WHERE {test.On($"(resource.value ->> '{member.Member}'){Binary}")})",
        LabelMapStorage => Label(test),
        _ => throw new ArgumentOutOfRangeException(nameof(storage), storage, "Not a field with many values."),
    };

    public override string AnyPresent(FieldStorage storage, string? labelKey) => storage switch
    {
        RepeatedTextStorage repeated => $"{repeated.Name} <> '[]'::jsonb",
        ResourceMemberStorage member =>
            $"EXISTS (SELECT 1 FROM jsonb_array_elements({ResourcesColumn}) AS resource(value) WHERE resource.value ->> '{member.Member}' <> '')",
        LabelMapStorage when labelKey is null => $"{LabelsColumn} <> '{{}}'::jsonb",
        LabelMapStorage => $"{LabelsColumn} ? {parameters.Text(labelKey)}",
        _ => throw new ArgumentOutOfRangeException(nameof(storage), storage, "Not a field with many values."),
    };

    public override string? FullText(IReadOnlyList<string> words)
    {
        var nonEmpty = words.Where(w => w.Length > 0).ToArray();
        return nonEmpty.Length == 0 ? null : $"{PostgresSearchWords.Vector} @@ {parameters.Text(PostgresSearchWords.Query(nonEmpty))}::tsquery";
    }

    /// <summary>
    /// The value of the label's key. An absent key compares false: "labels ? key" is false
    /// then, and lets the GIN index narrow the rows the other comparators read.
    /// </summary>
    private string Label(ElementTest test)
    {
        var key = parameters.Text(test.LabelKey!);
        return test.Comparator == Comparator.Equal
            ? $"{LabelsColumn} @> jsonb_build_object({key}, {parameters.Text(test.Value)})"
            : $"({LabelsColumn} ? {key} AND {test.On($"({LabelsColumn} ->> {key}){Binary}")})";
    }
}
