using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Storage;

/// <summary>The indexed values of an event, computed in one place for every store.</summary>
public static class EventKeys
{
    public static long CreatedAtMicros(Event e) => ToMicros(e.CreatedAt);

    /// <summary>start_date, or created_at where the event has none.</summary>
    public static long EventTimeMicros(Event e) =>
        e.Attributes?.StartDate is { } start ? ToMicros(start) : CreatedAtMicros(e);

    public static long SortKey(Event e, EventSortField field) => field switch
    {
        EventSortField.CreatedAt => CreatedAtMicros(e),
        EventSortField.EventTime => EventTimeMicros(e),
        EventSortField.Priority => (long)(e.Attributes?.Priority ?? Priority.Unspecified),
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    public static long ToMicros(Timestamp? t) =>
        t is null ? 0 : (t.Seconds * 1_000_000) + (t.Nanos / 1_000);

    public static long ToMicros(DateTimeOffset t) =>
        (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
