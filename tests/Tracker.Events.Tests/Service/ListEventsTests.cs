using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Tests.Support;
using Xunit;
using static Tracker.Events.Tests.Service.ServiceHarness;

namespace Tracker.Events.Tests.Service;

public sealed class ListEventsTests
{
    [Fact]
    public async Task ListEvents_NoParameters_NewestFirstWithTotalAndNoToken()
    {
        using var h = await StartAsync();
        var events = await h.CreateManyAsync(3);

        var response = await h.Service.ListEvents(new ListEventsRequest(), Context()).Bounded();

        Assert.Equal(Ids(events).Reverse(), Ids(response.Events));
        Assert.Equal(3, response.TotalCount);
        Assert.Equal(string.Empty, response.NextPageToken);
    }

    [Fact]
    public async Task ListEvents_PerPageAndPage_ReturnThatPageWithExactTotal()
    {
        using var h = await StartAsync();
        var newestFirst = Ids(await h.CreateManyAsync(7)).Reverse().ToArray();

        var page2 = await h.Service.ListEvents(new ListEventsRequest { PerPage = 3, Page = 2 }, Context()).Bounded();
        var page3 = await h.Service.ListEvents(new ListEventsRequest { PerPage = 3, Page = 3 }, Context()).Bounded();
        var page9 = await h.Service.ListEvents(new ListEventsRequest { PerPage = 3, Page = 9 }, Context()).Bounded();

        Assert.Equal(newestFirst[3..6], Ids(page2.Events));
        Assert.Equal(newestFirst[6..], Ids(page3.Events));
        Assert.Empty(page9.Events);
        Assert.All(new[] { page2, page3, page9 }, p => Assert.Equal(7, p.TotalCount));
        Assert.NotEqual(string.Empty, page2.NextPageToken);
        Assert.Equal(string.Empty, page3.NextPageToken);
    }

    [Fact]
    public async Task ListEvents_PageZero_MeansFirstPage()
    {
        using var h = await StartAsync();
        await h.CreateManyAsync(3);

        var zero = await h.Service.ListEvents(new ListEventsRequest { PerPage = 2, Page = 0 }, Context()).Bounded();
        var one = await h.Service.ListEvents(new ListEventsRequest { PerPage = 2, Page = 1 }, Context()).Bounded();

        Assert.Equal(Ids(one.Events), Ids(zero.Events));
    }

    [Theory]
    [InlineData(-1, 0, 0, "per_page")]
    [InlineData(0, -2, 0, "page")]
    [InlineData(0, 0, -3, "page_size")]
    public async Task ListEvents_NegativePaging_InvalidArgumentNamingTheField(int perPage, int page, int pageSize, string field)
    {
        using var h = await StartAsync();

        var fields = await RpcAssert.InvalidAsync(() => h.Service.ListEvents(new ListEventsRequest { PerPage = perPage, Page = page, PageSize = pageSize }, Context()));

        Assert.Equal([field], fields);
    }

    [Fact]
    public async Task ListEvents_TokenWalk_YieldsEveryEventOnceAndEndsWithEmptyToken()
    {
        using var h = await StartAsync();
        var events = await h.CreateManyAsync(10);

        var (walked, pages) = await WalkAsync(h, new ListEventsRequest { PageSize = 3 });

        Assert.Equal(Ids(events).Reverse(), Ids(walked));
        Assert.Equal(4, pages);
    }

    [Fact]
    public async Task ListEvents_TokenWalkWhileEventsAreAdded_YieldsEveryPreexistingEventOnce()
    {
        using var h = await StartAsync();
        var preexisting = Ids(await h.CreateManyAsync(12, (i, r) => r.Attributes.Priority = (Priority)(i % 3))).ToHashSet();

        foreach (var orderBy in new[] { "", "created_at asc", "priority desc", "start_date" })
        {
            var seen = new List<string>();
            var token = string.Empty;
            do
            {
                var page = await h.Service.ListEvents(new ListEventsRequest { PageSize = 5, PageToken = token, OrderBy = orderBy }, Context()).Bounded();
                seen.AddRange(Ids(page.Events));
                token = page.NextPageToken;
                await h.CreateManyAsync(2, (i, r) => r.Attributes.Priority = (Priority)(i + 1));
            }
            while (token.Length > 0);

            Assert.Equal(seen.Count, seen.Distinct().Count());
            Assert.Equal(preexisting.Order(StringComparer.Ordinal), seen.Where(preexisting.Contains).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task ListEvents_OffsetPageToken_ContinuesWithTheNextEvents()
    {
        using var h = await StartAsync();
        var newestFirst = Ids(await h.CreateManyAsync(5)).Reverse().ToArray();

        var first = await h.Service.ListEvents(new ListEventsRequest { PerPage = 2 }, Context()).Bounded();
        var next = await h.Service.ListEvents(new ListEventsRequest { PageSize = 2, PageToken = first.NextPageToken }, Context()).Bounded();

        Assert.Equal(newestFirst[2..4], Ids(next.Events));
    }

    [Fact]
    public async Task ListEvents_TokenWithAnotherOrder_InvalidArgumentOnPageToken()
    {
        using var h = await StartAsync();
        await h.CreateManyAsync(3);
        var first = await h.Service.ListEvents(new ListEventsRequest { PageSize = 1 }, Context()).Bounded();

        var fields = await RpcAssert.InvalidAsync(() => h.Service.ListEvents(new ListEventsRequest { PageSize = 1, PageToken = first.NextPageToken, OrderBy = "priority" }, Context()));

        Assert.Equal(["page_token"], fields);
    }

    [Fact]
    public async Task SearchEvents_TokenFromListEvents_InvalidArgumentOnPageToken()
    {
        using var h = await StartAsync();
        await h.CreateManyAsync(3);
        var first = await h.Service.ListEvents(new ListEventsRequest { PageSize = 1 }, Context()).Bounded();

        var fields = await RpcAssert.InvalidAsync(() => h.Service.SearchEvents(new SearchEventsRequest { PageSize = 1, PageToken = first.NextPageToken }, Context()));

        Assert.Equal(["page_token"], fields);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("%%%")]
    public async Task ListEvents_GarbledToken_InvalidArgumentOnPageToken(string token)
    {
        using var h = await StartAsync();

        var fields = await RpcAssert.InvalidAsync(() => h.Service.ListEvents(new ListEventsRequest { PageToken = token }, Context()));

        Assert.Equal(["page_token"], fields);
    }

    [Fact]
    public async Task ListEvents_OrderByPriorityDesc_SortsByPriorityThenNewest()
    {
        using var h = await StartAsync();
        var events = await h.CreateManyAsync(6, (i, r) => r.Attributes.Priority = (Priority)(i % 3 + 1));

        var response = await h.Service.ListEvents(new ListEventsRequest { OrderBy = "priority desc" }, Context()).Bounded();

        var expected = events.OrderByDescending(e => e.Attributes.Priority).ThenByDescending(e => e.Id, StringComparer.Ordinal);
        Assert.Equal(Ids(expected), Ids(response.Events));
    }

    [Fact]
    public async Task ListEvents_OrderByStartDate_UsesStartDateElseCreatedAt()
    {
        using var h = await StartAsync();
        var early = await h.CreateAsync(r => r.Attributes.StartDate = Timestamp.FromDateTimeOffset(Start.AddDays(-10)));
        h.Clock.Advance(TimeSpan.FromHours(1));
        var noStart = await h.CreateAsync();
        var late = await h.CreateAsync(r => r.Attributes.StartDate = Timestamp.FromDateTimeOffset(Start.AddDays(10)));

        var asc = await h.Service.ListEvents(new ListEventsRequest { OrderBy = "start_date" }, Context()).Bounded();
        var desc = await h.Service.ListEvents(new ListEventsRequest { OrderBy = "start_date desc" }, Context()).Bounded();

        Assert.Equal([early.Id, noStart.Id, late.Id], Ids(asc.Events));
        Assert.Equal([late.Id, noStart.Id, early.Id], Ids(desc.Events));
    }

    [Fact]
    public async Task ListEvents_InvalidOrderBy_InvalidArgumentOnOrderBy()
    {
        using var h = await StartAsync();

        Assert.Equal(["order_by"], await RpcAssert.InvalidAsync(() => h.Service.ListEvents(new ListEventsRequest { OrderBy = "labels" }, Context())));
    }

    private static async Task<(List<Event> Events, int Pages)> WalkAsync(ServiceHarness h, ListEventsRequest first)
    {
        var all = new List<Event>();
        var request = first.Clone();
        for (var pages = 1; pages < 100; pages++)
        {
            var response = await h.Service.ListEvents(request, Context()).Bounded();
            all.AddRange(response.Events);
            if (response.NextPageToken.Length == 0)
            {
                return (all, pages);
            }

            request.PageToken = response.NextPageToken;
        }

        throw new InvalidOperationException("The walk did not end.");
    }

    private static IEnumerable<string> Ids(IEnumerable<Event> events) => events.Select(e => e.Id);
}
