using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Storage;

/// <summary>
/// The indexed values of an event, computed in one place for every store: what each
/// <see cref="EventField"/> column holds, and the sort values page tokens carry.
/// </summary>
public static class EventKeys
{
    /// <summary>What an unset end_date sorts as: before every date.</summary>
    public const long UnsetTimeSortValue = long.MinValue;

    public static long CreatedAtMicros(Event e) => ToMicros(e.CreatedAt);

    /// <summary>start_date, or created_at where the event has none.</summary>
    public static long EventTimeMicros(Event e) =>
        e.Attributes?.StartDate is { } start ? ToMicros(start) : CreatedAtMicros(e);

    /// <summary>
    /// The value a store sorts <paramref name="field"/> by: text as it is, every other kind as a
    /// number (unset text is empty, an unset enum or number 0, an unset end_date
    /// <see cref="UnsetTimeSortValue"/>). Repeated fields and labels do not sort.
    /// </summary>
    public static FilterValue SortValue(StoredEvent stored, Event e, EventField field)
    {
        var a = e.Attributes ?? EmptyAttributes;
        return field switch
        {
            EventField.Title => FilterValue.Of(e.Title),
            EventField.Id => FilterValue.Of(e.Id),
            EventField.CreatedAt => FilterValue.Of(CreatedAtMicros(e)),
            EventField.UpdatedAt => FilterValue.Of(ToMicros(e.UpdatedAt)),
            EventField.Message => FilterValue.Of(a.Message),
            EventField.Source => FilterValue.Of(a.Source),
            EventField.Type => FilterValue.Of((long)a.Type),
            EventField.Priority => FilterValue.Of((long)a.Priority),
            EventField.RelatedId => FilterValue.Of(a.RelatedId),
            EventField.Service => FilterValue.Of(a.Service),
            EventField.Status => FilterValue.Of((long)a.Status),
            EventField.Environment => FilterValue.Of((long)a.Environment),
            EventField.Impact => FilterValue.Of((long)a.Impact),
            EventField.StartDate => FilterValue.Of(EventTimeMicros(e)),
            EventField.EndDate => FilterValue.Of(a.EndDate is { } end ? ToMicros(end) : UnsetTimeSortValue),
            EventField.Owner => FilterValue.Of(a.Owner),
            EventField.Severity => FilterValue.Of((long)a.Severity),
            EventField.Reason => FilterValue.Of(a.Reason),
            EventField.Code => FilterValue.Of(a.Code),
            EventField.Notification => FilterValue.Of(a.Notification ? 1 : 0),
            EventField.Sequence => FilterValue.Of(stored.Sequence),
            EventField.Count => FilterValue.Of(e.Count),
            EventField.AggregationKey => FilterValue.Of(e.AggregationKey),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a sortable field."),
        };
    }

    public static long ToMicros(Timestamp? t) =>
        t is null ? 0 : (t.Seconds * 1_000_000) + (t.Nanos / 1_000);

    public static long ToMicros(DateTimeOffset t) =>
        (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static readonly EventAttributes EmptyAttributes = new();
}
