using Google.Protobuf.WellKnownTypes;

namespace Tracker.Events.Time;

/// <summary>
/// The current time as the domain records it: truncated to whole microseconds, because the
/// stores keep microseconds and an event read back must equal the event returned on write.
/// </summary>
internal sealed class EventClock(TimeProvider timeProvider)
{
    public DateTimeOffset Now()
    {
        var now = timeProvider.GetUtcNow();
        return new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }

    public static Timestamp ToTimestamp(DateTimeOffset instant) => Timestamp.FromDateTimeOffset(instant);
}
