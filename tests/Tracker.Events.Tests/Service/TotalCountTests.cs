using Tracker.Api.V1Alpha1;
using Tracker.Events.Tests.Support;
using Xunit;
using static Tracker.Events.Tests.Service.ServiceHarness;

namespace Tracker.Events.Tests.Service;

/// <summary>
/// total_count and total_count_relation of the listings (README, "Searching"): exact up to
/// Tracker:Search:CountLimit, then the limit as a lower bound (AT_LEAST, after Elasticsearch's
/// track_total_hits), exact on request (exact_total_count); next_page_token alone tells where the
/// results end, in both paging modes.
/// </summary>
public sealed class TotalCountTests
{
    [Theory]
    [InlineData(4, 3, TotalCountRelation.Exact)]
    [InlineData(4, 4, TotalCountRelation.Exact)]
    [InlineData(4, 5, TotalCountRelation.AtLeast)]
    [InlineData(4, 9, TotalCountRelation.AtLeast)]
    public async Task ListEvents_MatchesAgainstTheCountLimit_CountsUpToTheLimit(int countLimit, int events, TotalCountRelation relation)
    {
        using var h = await StartAsync(countLimit: countLimit);
        await h.CreateManyAsync(events);

        var response = await h.Service.ListEvents(new ListEventsRequest(), Context()).Bounded();

        Assert.Equal(events, response.Events.Count);
        Assert.Equal(Math.Min(events, countLimit), response.TotalCount);
        Assert.Equal(relation, response.TotalCountRelation);
        Assert.Equal(string.Empty, response.NextPageToken);
    }

    [Fact]
    public async Task ListEvents_ExactTotalCount_CountsEveryMatchPastTheLimit()
    {
        using var h = await StartAsync(countLimit: 3);
        await h.CreateManyAsync(7);

        var response = await h.Service.ListEvents(new ListEventsRequest { ExactTotalCount = true, PerPage = 2 }, Context()).Bounded();

        Assert.Equal(7, response.TotalCount);
        Assert.Equal(TotalCountRelation.Exact, response.TotalCountRelation);
        Assert.Equal(2, response.Events.Count);
    }

    [Fact]
    public async Task ListEvents_PerPagePastTheLimit_WalksEveryPageAndReportsTheEventsThroughEachPage()
    {
        using var h = await StartAsync(countLimit: 3);
        var newestFirst = (await h.CreateManyAsync(7)).Select(e => e.Id).Reverse().ToArray();

        var pages = new List<ListEventsResponse>();
        foreach (var page in new[] { 1, 2, 3, 4, 5 })
        {
            pages.Add(await h.Service.ListEvents(new ListEventsRequest { PerPage = 2, Page = page }, Context()).Bounded());
        }

        Assert.Equal(newestFirst, pages.SelectMany(p => p.Events).Select(e => e.Id));
        Assert.Equal([3L, 4, 6, 7, 7], pages.Select(p => p.TotalCount));
        // Page 4 is the last: it knows the exact total; the empty page past it counts up to its offset, and finds it too.
        Assert.Equal([TotalCountRelation.AtLeast, TotalCountRelation.AtLeast, TotalCountRelation.AtLeast, TotalCountRelation.Exact, TotalCountRelation.Exact], pages.Select(p => p.TotalCountRelation));
        Assert.Equal([true, true, true, false, false], pages.Select(p => p.NextPageToken.Length > 0));
    }

    [Fact]
    public async Task ListEvents_PerPageWithExactCount_TokenOnlyBeforeTheLastPage()
    {
        using var h = await StartAsync();
        await h.CreateManyAsync(6);

        var second = await h.Service.ListEvents(new ListEventsRequest { PerPage = 3, Page = 1 }, Context()).Bounded();
        var last = await h.Service.ListEvents(new ListEventsRequest { PerPage = 3, Page = 2 }, Context()).Bounded();

        Assert.NotEqual(string.Empty, second.NextPageToken);
        Assert.Equal(string.Empty, last.NextPageToken);
        Assert.Equal((6, TotalCountRelation.Exact), (last.TotalCount, last.TotalCountRelation));
    }

    [Fact]
    public async Task ListEvents_PageTokenWalkPastTheLimit_YieldsEveryEventOnceAndEndsWithNoToken()
    {
        using var h = await StartAsync(countLimit: 2);
        var newestFirst = (await h.CreateManyAsync(7)).Select(e => e.Id).Reverse().ToArray();

        var walked = new List<string>();
        var token = string.Empty;
        var pages = 0;
        do
        {
            var page = await h.Service.ListEvents(new ListEventsRequest { PageSize = 3, PageToken = token }, Context()).Bounded();
            Assert.Equal((2, TotalCountRelation.AtLeast), (page.TotalCount, page.TotalCountRelation));
            walked.AddRange(page.Events.Select(e => e.Id));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages < 10);

        Assert.Equal(newestFirst, walked);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task SearchEvents_CountLimitAndExactTotalCount_SameRuleAsListEvents()
    {
        using var h = await StartAsync(countLimit: 2);
        await h.CreateManyAsync(5);

        var limited = await h.Service.SearchEvents(new SearchEventsRequest { Service = "user-service" }, Context()).Bounded();
        var exact = await h.Service.SearchEvents(new SearchEventsRequest { Service = "user-service", ExactTotalCount = true }, Context()).Bounded();

        Assert.Equal((2, TotalCountRelation.AtLeast), (limited.TotalCount, limited.TotalCountRelation));
        Assert.Equal((5, TotalCountRelation.Exact), (exact.TotalCount, exact.TotalCountRelation));
        Assert.Equal(5, limited.Events.Count);
    }

    [Fact]
    public async Task TodayEvents_CountLimitAndExactTotalCount_SameRuleAsListEvents()
    {
        using var h = await StartAsync(countLimit: 2);
        await h.CreateManyAsync(5);

        var limited = await h.Service.TodayEvents(new TodayEventsRequest(), Context()).Bounded();
        var exact = await h.Service.TodayEvents(new TodayEventsRequest { ExactTotalCount = true }, Context()).Bounded();

        Assert.Equal((2, TotalCountRelation.AtLeast), (limited.TotalCount, limited.TotalCountRelation));
        Assert.Equal((5, TotalCountRelation.Exact), (exact.TotalCount, exact.TotalCountRelation));
    }
}
