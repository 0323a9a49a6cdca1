using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Tests.Support;
using Xunit;
using static Tracker.Events.Tests.Service.ServiceHarness;

namespace Tracker.Events.Tests.Service;

public sealed class TodayEventsTests
{
    [Fact]
    public async Task TodayEvents_DefaultUtc_IncludesEventsOfTheDayByStartDateElseCreatedAt()
    {
        using var h = await StartAsync(now: Instant("2024-06-14T12:00:00Z"));
        h.Clock.SetUtcNow(Instant("2024-06-14T23:59:59Z"));
        await h.CreateAsync();
        var startsToday = await h.CreateAsync(r => r.Attributes.StartDate = Timestamp.FromDateTimeOffset(Instant("2024-06-15T08:00:00Z")));
        h.Clock.SetUtcNow(Instant("2024-06-15T00:00:00Z"));
        var createdToday = await h.CreateAsync();
        await h.CreateAsync(r => r.Attributes.StartDate = Timestamp.FromDateTimeOffset(Instant("2024-06-16T00:00:00Z")));
        h.Clock.SetUtcNow(Instant("2024-06-15T23:59:59Z"));

        var response = await h.Service.TodayEvents(new TodayEventsRequest(), Context()).Bounded();

        Assert.Equal(new[] { startsToday.Id, createdToday.Id }.Order(), response.Events.Select(e => e.Id).Order());
        Assert.Equal(2, response.TotalCount);
    }

    [Fact]
    public async Task TodayEvents_TimeZoneAhead_UsesThatZonesDay()
    {
        using var h = await StartAsync();
        h.Clock.SetUtcNow(Instant("2024-06-15T14:59:59Z")); // 23:59:59 on the 15th in Tokyo
        var tokyoYesterday = await h.CreateAsync();
        h.Clock.SetUtcNow(Instant("2024-06-15T15:00:00Z")); // midnight on the 16th in Tokyo
        var tokyoToday = await h.CreateAsync();
        h.Clock.SetUtcNow(Instant("2024-06-15T20:00:00Z"));

        var tokyo = await h.Service.TodayEvents(new TodayEventsRequest { TimeZone = "Asia/Tokyo" }, Context()).Bounded();
        var utc = await h.Service.TodayEvents(new TodayEventsRequest { TimeZone = "UTC" }, Context()).Bounded();

        Assert.Equal([tokyoToday.Id], tokyo.Events.Select(e => e.Id));
        Assert.Equal(new[] { tokyoYesterday.Id, tokyoToday.Id }.Order(), utc.Events.Select(e => e.Id).Order());
    }

    [Fact]
    public async Task TodayEvents_TimeZoneBehind_UsesThatZonesDay()
    {
        using var h = await StartAsync(now: Instant("2024-06-14T12:00:00Z"));
        h.Clock.SetUtcNow(Instant("2024-06-15T03:00:00Z")); // 23:00 on the 14th in New York
        var newYorkToday = await h.CreateAsync();
        var newYorkTomorrow = await h.CreateAsync(r => r.Attributes.StartDate = Timestamp.FromDateTimeOffset(Instant("2024-06-15T04:00:00Z")));

        var response = await h.Service.TodayEvents(new TodayEventsRequest { TimeZone = "America/New_York" }, Context()).Bounded();

        Assert.Equal([newYorkToday.Id], response.Events.Select(e => e.Id));
        Assert.DoesNotContain(newYorkTomorrow.Id, response.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task TodayEvents_NoZoneInRequest_UsesConfiguredZone()
    {
        using var h = await StartAsync(timeZone: "Asia/Tokyo");
        h.Clock.SetUtcNow(Instant("2024-06-15T14:00:00Z")); // 23:00 on the 15th in Tokyo
        var tokyoFifteenth = await h.CreateAsync();
        h.Clock.SetUtcNow(Instant("2024-06-15T16:00:00Z")); // 01:00 on the 16th in Tokyo
        var tokyoSixteenth = await h.CreateAsync();

        var response = await h.Service.TodayEvents(new TodayEventsRequest(), Context()).Bounded();

        Assert.Equal([tokyoSixteenth.Id], response.Events.Select(e => e.Id));
        Assert.DoesNotContain(tokyoFifteenth.Id, response.Events.Select(e => e.Id));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("CEST+2")]
    [InlineData("../../etc/passwd")]
    public async Task TodayEvents_UnknownTimeZone_InvalidArgumentOnTimeZone(string zone)
    {
        using var h = await StartAsync();

        Assert.Equal(["time_zone"], await RpcAssert.InvalidAsync(() => h.Service.TodayEvents(new TodayEventsRequest { TimeZone = zone }, Context())));
    }

    [Fact]
    public async Task TodayEvents_TokenPaging_WalksTheDay()
    {
        using var h = await StartAsync();
        var events = await h.CreateManyAsync(5);

        var first = await h.Service.TodayEvents(new TodayEventsRequest { PageSize = 3 }, Context()).Bounded();
        var second = await h.Service.TodayEvents(new TodayEventsRequest { PageSize = 3, PageToken = first.NextPageToken }, Context()).Bounded();

        Assert.Equal(events.Select(e => e.Id).Reverse(), first.Events.Concat(second.Events).Select(e => e.Id));
        Assert.Equal(string.Empty, second.NextPageToken);
        Assert.Equal(5, second.TotalCount);
    }

    private static DateTimeOffset Instant(string text) =>
        DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
