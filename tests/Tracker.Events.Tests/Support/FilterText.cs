using System.Globalization;
using Tracker.Events.Storage;

namespace Tracker.Events.Tests.Support;

/// <summary>A readable, exact rendering of an expression tree, for assertions: AND(service = "x", NOT(priority <= 2)).</summary>
public static class FilterText
{
    public static string Print(FilterNode node) => node switch
    {
        AllOf all => "AND(" + string.Join(", ", all.Terms.Select(Print)) + ")",
        AnyOf any => "OR(" + string.Join(", ", any.Terms.Select(Print)) + ")",
        Negation not => "NOT(" + Print(not.Term) + ")",
        Comparison c => $"{Name(c.Field, c.LabelKey)} {Symbol(c.Comparator)} {Value(c.Value)}",
        Presence p => $"{Name(p.Field, p.LabelKey)} SET",
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    private static string Name(EventField field, string? key) =>
        field == EventField.Labels ? $"labels.{key}" : field.Name;

    private static string Value(FilterValue value) =>
        value.Text is { } text ? $"\"{text}\"" : value.Number.ToString(CultureInfo.InvariantCulture);

    private static string Symbol(Comparator comparator) => comparator switch
    {
        Comparator.Equal => "=",
        Comparator.Less => "<",
        Comparator.LessOrEqual => "<=",
        Comparator.Greater => ">",
        Comparator.GreaterOrEqual => ">=",
        Comparator.Prefix => "starts-with",
        Comparator.Suffix => "ends-with",
        _ => "contains",
    };
}
