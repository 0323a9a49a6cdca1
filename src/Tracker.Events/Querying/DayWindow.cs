namespace Tracker.Events.Querying;

/// <summary>
/// The current day in a time zone, as the inclusive UTC bounds the store filters on: from the
/// day's first instant (local midnight, or the end of a DST gap that swallows midnight) to the
/// last microsecond before the next day's first instant.
/// </summary>
internal static class DayWindow
{
    public static (DateTimeOffset From, DateTimeOffset To) Of(DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var from = FirstInstant(today, zone);
        var to = FirstInstant(today.AddDays(1), zone).AddTicks(-TimeSpan.TicksPerMicrosecond);
        return (from, to);
    }

    private static DateTimeOffset FirstInstant(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);

        // Where a DST jump skips midnight the day starts when the clocks resume.
        for (var guard = 0; zone.IsInvalidTime(local) && guard < 24 * 60; guard++)
        {
            local = local.AddMinutes(1);
        }

        // Where midnight happens twice the day starts at the first one, under the larger offset.
        var offset = zone.IsAmbiguousTime(local)
            ? zone.GetAmbiguousTimeOffsets(local).Max()
            : zone.GetUtcOffset(local);
        return new DateTimeOffset(local.Ticks - offset.Ticks, TimeSpan.Zero);
    }
}
