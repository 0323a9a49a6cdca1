namespace Tracker.Events.Storage;

/// <summary>
/// A parsed search expression: what <c>filter</c> (AIP-160) and <c>query</c> (MongoDB-style JSON)
/// both compile to, and what each store turns into parameterised SQL. Every node is two-valued:
/// a field that is not set makes a comparison false (and its negation true), never "unknown".
/// </summary>
public abstract record FilterNode;

/// <summary>Every term holds (AND). An empty list holds for every event.</summary>
public sealed record AllOf(IReadOnlyList<FilterNode> Terms) : FilterNode;

/// <summary>At least one term holds (OR).</summary>
public sealed record AnyOf(IReadOnlyList<FilterNode> Terms) : FilterNode;

/// <summary>The term does not hold (NOT, -, $not, $ne, $nin, $nor).</summary>
public sealed record Negation(FilterNode Term) : FilterNode;

/// <summary>
/// A field compared with a value. Text values are strings; every other kind is a long (enum
/// number, integer, 0/1, microseconds). For repeated fields and resources it holds when any
/// element matches; for labels it compares the value of <see cref="LabelKey"/>.
/// </summary>
public sealed record Comparison(EventField Field, Comparator Comparator, FilterValue Value, string? LabelKey = null) : FilterNode;

/// <summary>
/// The field is set (AIP-160 <c>field:*</c>, MongoDB <c>$exists</c>): text not empty, an enum
/// not UNSPECIFIED, a number or flag not zero, a timestamp present, a repeated field not empty,
/// a label key present.
/// </summary>
public sealed record Presence(EventField Field, string? LabelKey = null) : FilterNode;

/// <summary>The comparison operators. Prefix, Suffix and Contains are text wildcards ("pay*", "*pay", "*pay*").</summary>
public enum Comparator
{
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Prefix,
    Suffix,
    Contains,
}

/// <summary>A literal: text, or a number for every other field kind.</summary>
public readonly record struct FilterValue(string? Text, long Number)
{
    public static FilterValue Of(string text) => new(text, 0);

    public static FilterValue Of(long number) => new(null, number);

    public bool IsText => Text is not null;

    public override string ToString() => Text ?? Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
