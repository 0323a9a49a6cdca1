using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;

namespace Tracker.Events.Time;

/// <summary>An event's output-only duration: end_date - start_date when both are set.</summary>
internal static class EventDurations
{
    public static Duration? Of(EventAttributes? attributes) =>
        attributes is { StartDate: { } start, EndDate: { } end } ? end - start : null;
}
