using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Tests.Support;
using Xunit;
using static Tracker.Events.Tests.Service.ServiceHarness;

namespace Tracker.Events.Tests.Service;

/// <summary>
/// Folding repeats through CreateEvent (README, "Folding repeated events"): aggregation_key, fold_window and its default
/// Tracker:FoldWindow (30 s), the output fields count, first_seen_at and last_seen_at, and the
/// errors of both request fields. On a fake clock, over a real SQLite store.
/// </summary>
public sealed class FoldingTests
{
    [Fact]
    public async Task CreateEvent_WithoutKey_SeenOnceAtItsCreation()
    {
        using var h = await StartAsync();

        var created = await h.CreateAsync();

        Assert.Equal(1, created.Count);
        Assert.Equal(created.CreatedAt, created.FirstSeenAt);
        Assert.Equal(created.CreatedAt, created.LastSeenAt);
        Assert.Equal("", created.AggregationKey);
    }

    [Fact]
    public async Task CreateEvent_SameKeyWithinTheDefaultWindow_FoldsIntoTheFirstEvent()
    {
        using var h = await StartAsync();
        var first = await h.CreateAsync(r => r.AggregationKey = "disk-full@db-1");
        h.Clock.Advance(TimeSpan.FromSeconds(20));
        await h.CreateAsync(r => r.AggregationKey = "disk-full@db-1");
        h.Clock.Advance(TimeSpan.FromSeconds(20));

        var third = await h.CreateAsync(r => r.AggregationKey = "disk-full@db-1");

        Assert.Equal(first.Id, third.Id);
        Assert.Equal(3, third.Count);
        Assert.Equal(first.CreatedAt, third.FirstSeenAt);
        Assert.Equal(Timestamp.FromDateTimeOffset(Start.AddSeconds(40)), third.LastSeenAt);
        Assert.Equal(third.LastSeenAt, third.UpdatedAt);
        Assert.NotEqual(first.Etag, third.Etag);
        Assert.Equal(third, await h.Service.GetEvent(new GetEventRequest { Id = first.Id }, Context()).Bounded());
    }

    [Fact]
    public async Task CreateEvent_LastSeenLongerAgoThanTheWindow_CreatesANewEvent()
    {
        using var h = await StartAsync();
        var first = await h.CreateAsync(r => r.AggregationKey = "k");
        h.Clock.Advance(TimeSpan.FromSeconds(31));

        var second = await h.CreateAsync(r => r.AggregationKey = "k");

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(1, second.Count);
    }

    [Fact]
    public async Task CreateEvent_FoldWindowOfTheRequest_OverridesTheDefaultAndZeroTurnsFoldingOff()
    {
        using var h = await StartAsync();
        var first = await h.CreateAsync(r => r.AggregationKey = "k");
        h.Clock.Advance(TimeSpan.FromMinutes(10));
        var folded = await h.CreateAsync(r => { r.AggregationKey = "k"; r.FoldWindow = Duration.FromTimeSpan(TimeSpan.FromHours(1)); });
        var notFolded = await h.CreateAsync(r => { r.AggregationKey = "k"; r.FoldWindow = new Duration(); });

        Assert.Equal(first.Id, folded.Id);
        Assert.Equal(2, folded.Count);
        Assert.NotEqual(first.Id, notFolded.Id);
        Assert.Equal("k", notFolded.AggregationKey);
    }

    [Fact]
    public async Task UpdateEvent_FoldedEvent_KeepsItsCountAndSightings()
    {
        using var h = await StartAsync();
        var first = await h.CreateAsync(r => r.AggregationKey = "k");
        var folded = await h.CreateAsync(r => r.AggregationKey = "k");

        var updated = await h.Service.UpdateEvent(new UpdateEventRequest { Id = first.Id, Title = "renamed" }, Context()).Bounded();

        Assert.Equal(2, updated.Count);
        Assert.Equal(folded.LastSeenAt, updated.LastSeenAt);
        Assert.Equal("k", updated.AggregationKey);
    }

    [Fact]
    public async Task ListEvents_CountAndAggregationKey_FilterAndSort()
    {
        using var h = await StartAsync();
        var once = await h.CreateAsync(r => r.AggregationKey = "quiet");
        for (var i = 0; i < 3; i++)
        {
            await h.CreateAsync(r => r.AggregationKey = "noisy");
        }

        var plain = await h.CreateAsync();
        var noisy = await h.Service.GetEvent(new GetEventRequest { Id = (await h.CreateAsync(r => r.AggregationKey = "noisy")).Id }, Context()).Bounded();

        var folded = await h.Service.ListEvents(new ListEventsRequest { Filter = "count>=2" }, Context()).Bounded();
        var byKey = await h.Service.ListEvents(new ListEventsRequest { Query = "{\"aggregation_key\":{\"$in\":[\"quiet\",\"noisy\"]}}", OrderBy = "count desc" }, Context()).Bounded();
        var keyless = await h.Service.ListEvents(new ListEventsRequest { Filter = "-aggregation_key:*" }, Context()).Bounded();

        Assert.Equal(4, noisy.Count);
        Assert.Equal([noisy.Id], folded.Events.Select(e => e.Id));
        Assert.Equal([noisy.Id, once.Id], byKey.Events.Select(e => e.Id));
        Assert.Equal([plain.Id], keyless.Events.Select(e => e.Id));
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -5)]
    [InlineData(1, -5)]
    [InlineData(604801, 0)]
    [InlineData(0, 1_000_000_000)]
    public async Task CreateEvent_BadFoldWindow_InvalidArgumentOnFoldWindow(long seconds, int nanos)
    {
        using var h = await StartAsync();

        var fields = await RpcAssert.InvalidAsync(() => h.CreateAsync(r => { r.AggregationKey = "k"; r.FoldWindow = new Duration { Seconds = seconds, Nanos = nanos }; }));

        Assert.Equal(["fold_window"], fields);
    }

    [Fact]
    public async Task CreateEvent_FoldWindowWithoutKey_IsIgnored()
    {
        using var h = await StartAsync();

        var created = await h.CreateAsync(r => r.FoldWindow = new Duration { Seconds = -5 });

        Assert.Equal(1, created.Count);
    }

    [Fact]
    public async Task CreateEvent_AggregationKeyTooLong_InvalidArgumentOnAggregationKey()
    {
        using var h = await StartAsync();

        var fields = await RpcAssert.InvalidAsync(() => h.CreateAsync(r => r.AggregationKey = new string('k', 257)));

        Assert.Equal(["aggregation_key"], fields);
    }
}
