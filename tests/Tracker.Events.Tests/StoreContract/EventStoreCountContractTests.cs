using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Storage;
using Tracker.Events.Tests.Support;
using Xunit;

namespace Tracker.Events.Tests.StoreContract;

/// <summary>
/// How every IEventStore counts a query's matches (README, "Searching"): exactly up to the
/// query's <see cref="EventQuery.CountLimit"/>, then the limit as a lower bound (after
/// Elasticsearch's track_total_hits), and every match when there is no limit. The count never
/// changes the page. Derive once per store, as for <see cref="EventStoreContractTests"/>; the
/// expected counts come from <see cref="QueryFixture"/>'s twelve events.
/// </summary>
public abstract class EventStoreCountContractTests
{
    private static readonly EventCriteria Incidents = new(
        new Comparison(EventField.Type, Comparator.Equal, FilterValue.Of((long)Api.V1Alpha1.Type.Incident)), []);

    // "deploy" starts a word of decoy, deploy and twin (EventStoreQueryContractTests' word cases).
    private static readonly EventCriteria DeployWord = new(new AllOf([]), ["deploy"]);

    /// <summary>A new, migrated, empty store, private to the calling test.</summary>
    protected abstract Task<IEventStore> CreateStoreAsync();

    [Theory]
    [InlineData(13)]
    [InlineData(1_000_000)]
    public async Task QueryAsync_MatchesBelowTheCountLimit_CountsThemExactly(long countLimit)
    {
        var store = await CreateStoreAsync().Bounded();
        await QueryFixture.CreateAsync(store).Bounded();

        var all = await CountAsync(store, EventCriteria.All, countLimit);
        var incidents = await CountAsync(store, Incidents, countLimit: 4);
        var words = await CountAsync(store, DeployWord, countLimit: 4);

        Assert.Equal((12, true), (all.TotalCount, all.TotalCountExact));
        Assert.Equal((3, true), (incidents.TotalCount, incidents.TotalCountExact));
        Assert.Equal((3, true), (words.TotalCount, words.TotalCountExact));
    }

    [Fact]
    public async Task QueryAsync_MatchesAtTheCountLimit_CountsThemExactly()
    {
        var store = await CreateStoreAsync().Bounded();
        await QueryFixture.CreateAsync(store).Bounded();

        var all = await CountAsync(store, EventCriteria.All, countLimit: 12);
        var incidents = await CountAsync(store, Incidents, countLimit: 3);
        var words = await CountAsync(store, DeployWord, countLimit: 3);

        Assert.Equal((12, true), (all.TotalCount, all.TotalCountExact));
        Assert.Equal((3, true), (incidents.TotalCount, incidents.TotalCountExact));
        Assert.Equal((3, true), (words.TotalCount, words.TotalCountExact));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(5)]
    [InlineData(1)]
    [InlineData(0)]
    public async Task QueryAsync_MatchesAboveTheCountLimit_ReportsTheLimitAsALowerBound(long countLimit)
    {
        var store = await CreateStoreAsync().Bounded();
        await QueryFixture.CreateAsync(store).Bounded();

        var all = await CountAsync(store, EventCriteria.All, countLimit);
        var incidents = await CountAsync(store, Incidents, countLimit: 2);
        var words = await CountAsync(store, DeployWord, countLimit: 2);

        Assert.Equal((countLimit, false), (all.TotalCount, all.TotalCountExact));
        Assert.Equal((2, false), (incidents.TotalCount, incidents.TotalCountExact));
        Assert.Equal((2, false), (words.TotalCount, words.TotalCountExact));
    }

    [Fact]
    public async Task QueryAsync_NoCountLimit_CountsEveryMatchExactly()
    {
        var store = await CreateStoreAsync().Bounded();
        await QueryFixture.CreateAsync(store).Bounded();
        foreach (var i in Enumerable.Range(0, 20))
        {
            await store.CreateAsync(QueryFixture.Extra($"extra {i}"), null, CancellationToken.None).Bounded();
        }

        var all = await CountAsync(store, EventCriteria.All, countLimit: null);
        var words = await CountAsync(store, DeployWord, countLimit: null);

        Assert.Equal((32, true), (all.TotalCount, all.TotalCountExact));
        Assert.Equal((3, true), (words.TotalCount, words.TotalCountExact));
    }

    [Fact]
    public async Task QueryAsync_AfterSequenceAndCountLimit_CountsOnlyTheLaterEvents()
    {
        var store = await CreateStoreAsync().Bounded();
        var fixture = await QueryFixture.CreateAsync(store).Bounded();
        var sixth = await store.FindSequenceAsync(fixture.Events[5].Id, CancellationToken.None).Bounded();
        var later = new EventCriteria(new AllOf([]), [], sixth);

        var below = await CountAsync(store, later, countLimit: 6, EventOrder.CommitOrder);
        var above = await CountAsync(store, later, countLimit: 4, EventOrder.CommitOrder);

        Assert.Equal((6, true), (below.TotalCount, below.TotalCountExact));
        Assert.Equal((4, false), (above.TotalCount, above.TotalCountExact));
    }

    [Fact]
    public async Task QueryAsync_OffsetPastTheCountLimit_ReturnsTheSamePageAsAnExactQuery()
    {
        var store = await CreateStoreAsync().Bounded();
        await QueryFixture.CreateAsync(store).Bounded();

        var exact = await store.QueryAsync(new EventQuery(EventCriteria.All, EventOrder.NewestFirst, Limit: 4, Offset: 7), CancellationToken.None).Bounded();
        var limited = await store.QueryAsync(new EventQuery(EventCriteria.All, EventOrder.NewestFirst, Limit: 4, Offset: 7, CountLimit: 3), CancellationToken.None).Bounded();

        Assert.Equal(4, limited.Events.Count);
        Assert.Equal(exact.Events.Select(e => e.Id), limited.Events.Select(e => e.Id));
        Assert.Equal((12, true), (exact.TotalCount, exact.TotalCountExact));
        Assert.Equal((3, false), (limited.TotalCount, limited.TotalCountExact));
    }

    [Fact]
    public async Task QueryAsync_KeysetPageWithCountLimit_CountsTheWholeQueryNotWhatFollowsTheCursor()
    {
        var store = await CreateStoreAsync().Bounded();
        await QueryFixture.CreateAsync(store).Bounded();
        var first = await store.QueryAsync(new EventQuery(EventCriteria.All, EventOrder.NewestFirst, Limit: 9), CancellationToken.None).Bounded();
        var last = first.Stored[^1];
        var after = new EventCursor([EventField.CreatedAt.SortValue(last, last.Decode())], last.Decode().Id);

        // Three events follow the cursor; the query matches twelve.
        var next = await store.QueryAsync(new EventQuery(EventCriteria.All, EventOrder.NewestFirst, Limit: 9, After: after, CountLimit: 5), CancellationToken.None).Bounded();

        Assert.Equal(3, next.Events.Count);
        Assert.Equal((5, false), (next.TotalCount, next.TotalCountExact));
    }

    private static Task<EventPage> CountAsync(IEventStore store, EventCriteria criteria, long? countLimit, EventOrder? order = null) =>
        store.QueryAsync(new EventQuery(criteria, order ?? EventOrder.NewestFirst, Limit: 2, CountLimit: countLimit), CancellationToken.None).Bounded();

}
