using Tracker.Events.Storage;

namespace Tracker.Events.Tests.Support;

/// <summary>The nodes that exercise one declared field: a comparison with every comparator its kind takes, and its presence.</summary>
public static class DeclaredFieldNodes
{
    public static IEnumerable<FilterNode> Of(EventField field)
    {
        var key = field.Storage is LabelMapStorage ? "team" : null;
        Comparator[] comparators = field.Kind == FieldKind.Text
            ? Enum.GetValues<Comparator>()
            : [Comparator.Equal, Comparator.Less, Comparator.LessOrEqual, Comparator.Greater, Comparator.GreaterOrEqual];
        foreach (var comparator in comparators)
        {
            yield return new Comparison(field, comparator, ValueOf(field), key);
        }

        yield return new Presence(field, key);
    }

    public static FilterValue ValueOf(EventField field) => field.Kind == FieldKind.Text ? FilterValue.Of("core") : FilterValue.Of(1);
}
