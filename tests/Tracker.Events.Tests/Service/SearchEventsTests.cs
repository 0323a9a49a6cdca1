using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Tests.Support;
using Xunit;
using static Tracker.Events.Tests.Service.ServiceHarness;

namespace Tracker.Events.Tests.Service;

public sealed class SearchEventsTests
{
    [Fact]
    public async Task SearchEvents_NoFilter_ReturnsEverythingPaged()
    {
        using var h = await StartAsync();
        await h.CreateManyAsync(5);

        var response = await h.Service.SearchEvents(new SearchEventsRequest { PerPage = 2 }, Context()).Bounded();

        Assert.Equal(2, response.Events.Count);
        Assert.Equal(5, response.TotalCount);
    }

    [Fact]
    public async Task SearchEvents_SeedP1Incidents_ReturnsOnlyThose()
    {
        using var h = await StartAsync();
        var p1Incident = await h.CreateAsync(r => (r.Attributes.Type, r.Attributes.Priority) = (Api.V1Alpha1.Type.Incident, Priority.P1));
        await h.CreateAsync(r => (r.Attributes.Type, r.Attributes.Priority) = (Api.V1Alpha1.Type.Incident, Priority.P2));
        await h.CreateAsync(r => (r.Attributes.Type, r.Attributes.Priority) = (Api.V1Alpha1.Type.Deployment, Priority.P1));

        var response = await h.Service.SearchEvents(new SearchEventsRequest { Priority = Priority.P1, Type = Api.V1Alpha1.Type.Incident }, Context()).Bounded();

        Assert.Equal([p1Incident.Id], response.Events.Select(e => e.Id));
        Assert.Equal(1, response.TotalCount);
    }

    [Fact]
    public async Task SearchEvents_EveryTextAndEnumFilter_MatchesExactly()
    {
        using var h = await StartAsync();
        var match = await h.CreateAsync(r =>
        {
            r.Attributes.Source = "jenkins";
            r.Attributes.Status = Status.Failure;
            r.Attributes.Service = "billing";
            r.Attributes.Environment = Api.V1Alpha1.Environment.Preproduction;
            r.Attributes.Impact = Impact.High;
            r.Attributes.Owner = "ops";
        });
        await h.CreateAsync(r => (r.Attributes.Source, r.Attributes.Service) = ("jenkins", "billing"));

        var response = await h.Service.SearchEvents(
            new SearchEventsRequest
            {
                Source = "jenkins",
                Status = Status.Failure,
                Service = "billing",
                Environment = Api.V1Alpha1.Environment.Preproduction,
                Impact = Impact.High,
                Owner = "ops",
            },
            Context()).Bounded();

        Assert.Equal([match.Id], response.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task SearchEvents_SeedDateRange_IncludesTheWholeEndDay()
    {
        using var h = await StartAsync();
        await CreateStartingAsync(h, "2023-12-31T23:59:59.999999Z");
        var firstInstant = await CreateStartingAsync(h, "2024-01-01T00:00:00Z");
        var lastInstant = await CreateStartingAsync(h, "2024-01-31T23:59:59.999999Z");
        await CreateStartingAsync(h, "2024-02-01T00:00:00Z");

        var response = await h.Service.SearchEvents(new SearchEventsRequest { StartDate = "2024-01-01", EndDate = "2024-01-31" }, Context()).Bounded();

        Assert.Equal(new[] { firstInstant.Id, lastInstant.Id }.Order(), response.Events.Select(e => e.Id).Order());
    }

    [Fact]
    public async Task SearchEvents_EventWithoutStartDate_MatchedByCreatedAt()
    {
        using var h = await StartAsync();
        var created = await h.CreateAsync();
        await CreateStartingAsync(h, "2020-01-01T00:00:00Z");

        var response = await h.Service.SearchEvents(new SearchEventsRequest { StartDate = "2024-06-15", EndDate = "2024-06-15T23:00:00+02:00" }, Context()).Bounded();

        Assert.Equal([created.Id], response.Events.Select(e => e.Id));
    }

    [Theory]
    [InlineData("2024/01/01", "", "start_date")]
    [InlineData("", "last tuesday", "end_date")]
    [InlineData("2024-02-01", "2024-01-01", "start_date")]
    public async Task SearchEvents_BadDates_InvalidArgumentNamingTheField(string start, string end, string field)
    {
        using var h = await StartAsync();

        var fields = await RpcAssert.InvalidAsync(() => h.Service.SearchEvents(new SearchEventsRequest { StartDate = start, EndDate = end }, Context()));

        Assert.Equal([field], fields);
    }

    [Fact]
    public async Task SearchEvents_UndefinedEnumAndNegativePage_ReportsBoth()
    {
        using var h = await StartAsync();

        var fields = await RpcAssert.InvalidAsync(() => h.Service.SearchEvents(new SearchEventsRequest { Type = (Api.V1Alpha1.Type)99, Page = -1 }, Context()));

        Assert.Equal(["type", "page"], fields);
    }

    [Fact]
    public async Task SearchEvents_TokenWithChangedFilter_InvalidArgumentOnPageToken()
    {
        using var h = await StartAsync();
        await h.CreateManyAsync(4, (_, r) => r.Attributes.Service = "billing");
        var first = await h.Service.SearchEvents(new SearchEventsRequest { Service = "billing", PageSize = 2 }, Context()).Bounded();

        var fields = await RpcAssert.InvalidAsync(() => h.Service.SearchEvents(new SearchEventsRequest { Service = "payments", PageSize = 2, PageToken = first.NextPageToken }, Context()));
        var next = await h.Service.SearchEvents(new SearchEventsRequest { Service = "billing", PageSize = 2, PageToken = first.NextPageToken }, Context()).Bounded();

        Assert.Equal(["page_token"], fields);
        Assert.Equal(2, next.Events.Count);
        Assert.Equal(string.Empty, next.NextPageToken);
    }

    private static Task<Event> CreateStartingAsync(ServiceHarness h, string start) =>
        h.CreateAsync(r => r.Attributes.StartDate = Timestamp.FromDateTimeOffset(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture)));
}
