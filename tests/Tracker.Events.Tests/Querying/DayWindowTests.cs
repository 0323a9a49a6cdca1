using Tracker.Events.Querying;
using Xunit;

namespace Tracker.Events.Tests.Querying;

public sealed class DayWindowTests
{
    [Theory]
    [InlineData("UTC", "2024-06-15T23:30:00Z", "2024-06-15T00:00:00Z", "2024-06-16T00:00:00Z")]
    [InlineData("Asia/Tokyo", "2024-06-15T23:30:00Z", "2024-06-15T15:00:00Z", "2024-06-16T15:00:00Z")]
    [InlineData("America/Los_Angeles", "2024-06-15T03:00:00Z", "2024-06-14T07:00:00Z", "2024-06-15T07:00:00Z")]
    [InlineData("Europe/Paris", "2024-01-15T23:30:00Z", "2024-01-15T23:00:00Z", "2024-01-16T23:00:00Z")]
    [InlineData("Asia/Kolkata", "2024-06-15T20:00:00Z", "2024-06-15T18:30:00Z", "2024-06-16T18:30:00Z")]
    // The day clocks spring forward: 23 hours long.
    [InlineData("America/New_York", "2024-03-10T12:00:00Z", "2024-03-10T05:00:00Z", "2024-03-11T04:00:00Z")]
    // The day clocks fall back: 25 hours long.
    [InlineData("Europe/Paris", "2024-10-27T12:00:00Z", "2024-10-26T22:00:00Z", "2024-10-27T23:00:00Z")]
    // Santiago skips midnight (00:00 -> 01:00): the day starts at 01:00 local.
    [InlineData("America/Santiago", "2024-09-08T12:00:00Z", "2024-09-08T04:00:00Z", "2024-09-09T03:00:00Z")]
    // Havana has midnight twice (01:00 -> 00:00): the day starts at the first.
    [InlineData("America/Havana", "2024-11-03T12:00:00Z", "2024-11-03T04:00:00Z", "2024-11-04T05:00:00Z")]
    public void Of_NowInZone_BoundsTheLocalDay(string zoneId, string now, string from, string nextDay)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);

        var (actualFrom, actualTo) = DayWindow.Of(Instant(now), zone);

        Assert.Equal(Instant(from), actualFrom);
        Assert.Equal(Instant(nextDay).AddTicks(-TimeSpan.TicksPerMicrosecond), actualTo);
    }

    private static DateTimeOffset Instant(string text) =>
        DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
}

public sealed class TimeZoneResolverTests
{
    [Theory]
    [InlineData("UTC")]
    [InlineData("utc")]
    [InlineData("Europe/Paris")]
    [InlineData("America/Argentina/Buenos_Aires")]
    [InlineData("Etc/GMT+5")]
    public void Find_IanaId_ReturnsTheZone(string id)
    {
        Assert.NotNull(TimeZoneResolver.Find(id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("../../etc/passwd")]
    [InlineData("Europe/../../../etc/passwd")]
    [InlineData("/etc/localtime")]
    [InlineData("Europe/Paris ")]
    [InlineData("Europe/Paris\n")]
    [InlineData("Romance Standard Time")]
    [InlineData("Europe/Pariiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiis")]
    public void Find_NotAnIanaId_ReturnsNull(string id)
    {
        Assert.Null(TimeZoneResolver.Find(id));
    }
}
