using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;

namespace Tracker.Events.Tests.Support;

/// <summary>
/// The equality filters the store contract tests were written with, turned into the expression
/// terms SearchEvents builds for the same fields (AND of equalities and an event-time window).
/// </summary>
public sealed record EventFilter
{
    public string? Source { get; init; }
    public Api.V1Alpha1.Type? Type { get; init; }
    public Priority? Priority { get; init; }
    public Status? Status { get; init; }
    public string? Service { get; init; }
    public Api.V1Alpha1.Environment? Environment { get; init; }
    public Impact? Impact { get; init; }
    public string? Owner { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }

    public static EventFilter None { get; } = new();

    public static implicit operator EventCriteria(EventFilter filter) => filter.ToCriteria();

    public EventCriteria ToCriteria()
    {
        var terms = new List<FilterNode>();
        void Equal(EventField field, FilterValue? value)
        {
            if (value is { } v)
            {
                terms.Add(new Comparison(field, Comparator.Equal, v));
            }
        }

        Equal(EventField.Source, Text(Source));
        Equal(EventField.Type, Number(Type));
        Equal(EventField.Priority, Number(Priority));
        Equal(EventField.Status, Number(Status));
        Equal(EventField.Service, Text(Service));
        Equal(EventField.Environment, Number(Environment));
        Equal(EventField.Impact, Number(Impact));
        Equal(EventField.Owner, Text(Owner));
        if (From is { } from)
        {
            terms.Add(new Comparison(EventField.StartDate, Comparator.GreaterOrEqual, FilterValue.Of(EventKeys.ToMicros(from))));
        }

        if (To is { } to)
        {
            terms.Add(new Comparison(EventField.StartDate, Comparator.LessOrEqual, FilterValue.Of(EventKeys.ToMicros(to))));
        }

        return new EventCriteria(new AllOf(terms), []);
    }

    private static FilterValue? Text(string? value) => value is null ? null : FilterValue.Of(value);

    private static FilterValue? Number<TEnum>(TEnum? value)
        where TEnum : struct, Enum => value is null ? null : FilterValue.Of(Convert.ToInt64(value.Value, System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>Single-key orders and cursors, as the contract tests use them.</summary>
public static class Orders
{
    public static EventOrder By(EventField field, bool descending) => new([new SortKey(field, descending)]);

    /// <summary>The keyset position after <paramref name="e"/> in a single-key order.</summary>
    public static EventCursor After(Event e, EventOrder order) =>
        new([order.Keys[0].Field.SortValue(new StoredEvent([], 0), e)], e.Id);
}
