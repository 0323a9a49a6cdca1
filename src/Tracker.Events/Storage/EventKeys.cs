using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Storage;

/// <summary>
/// The time values of an event, computed in one place for every store: what the time columns
/// hold and what <see cref="EventField.SortValue"/> gives for them.
/// </summary>
public static class EventKeys
{
    /// <summary>What an unset end_date sorts as: before every date.</summary>
    public const long UnsetTimeSortValue = long.MinValue;

    public static long CreatedAtMicros(Event e) => ToMicros(e.CreatedAt);

    /// <summary>start_date, or created_at where the event has none.</summary>
    public static long EventTimeMicros(Event e) =>
        e.Attributes?.StartDate is { } start ? ToMicros(start) : CreatedAtMicros(e);

    public static long ToMicros(Timestamp? t) =>
        t is null ? 0 : (t.Seconds * 1_000_000) + (t.Nanos / 1_000);

    public static long ToMicros(DateTimeOffset t) =>
        (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
