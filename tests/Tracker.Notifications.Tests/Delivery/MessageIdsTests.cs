using Microsoft.Extensions.Time.Testing;
using Tracker.Notifications.Delivery;

namespace Tracker.Notifications.Tests.Delivery;

public sealed class MessageIdsTests
{
    [Fact]
    public void Next_ManyWithinOneMillisecond_StrictlyIncreasingUuidV7s()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var ids = Enumerable.Range(0, 10_000).Select(_ => MessageIds.Next(clock)).ToList();

        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id =>
        {
            Assert.StartsWith("msg_", id, StringComparison.Ordinal);
            var uuid = Guid.ParseExact(id["msg_".Length..], "N");
            Assert.Equal(7, uuid.Version);
            Assert.Equal(0b1000, uuid.Variant & 0b1100);
        });
    }

    [Fact]
    public void Next_ClockGoesBack_StillIncreasing()
    {
        var now = DateTimeOffset.Parse("2026-12-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var before = MessageIds.Next(new FakeTimeProvider(now));

        Assert.True(string.CompareOrdinal(MessageIds.Next(new FakeTimeProvider(now.AddSeconds(-5))), before) > 0);
    }

    [Fact]
    public void Next_CarriesTheMillisecondItWasMadeIn()
    {
        // Later than any other test's clock: ids never go back, so an earlier test's would win.
        var at = DateTimeOffset.Parse("2100-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var id = MessageIds.Next(new FakeTimeProvider(at));

        var milliseconds = Convert.ToInt64(id.Substring("msg_".Length, 12), 16);
        Assert.Equal(at.ToUnixTimeMilliseconds(), milliseconds);
    }
}
