using Tracker.Events.Storage;

namespace Tracker.Events.Postgres.Tests;

/// <summary>Short constructors for filter trees, so that test tables read like the expressions they stand for.</summary>
internal static class Expressions
{
    public static AllOf And(params FilterNode[] terms) => new(terms);

    public static AnyOf Or(params FilterNode[] terms) => new(terms);

    public static Negation Not(FilterNode term) => new(term);

    public static Comparison Text(EventField field, Comparator comparator, string value) => new(field, comparator, FilterValue.Of(value));

    public static Comparison Number(EventField field, Comparator comparator, long value) => new(field, comparator, FilterValue.Of(value));

    public static Comparison Label(string key, Comparator comparator, string value) => new(EventField.Labels, comparator, FilterValue.Of(value), key);

    public static Presence Has(EventField field) => new(field);

    public static Presence HasLabel(string key) => new(EventField.Labels, key);
}
