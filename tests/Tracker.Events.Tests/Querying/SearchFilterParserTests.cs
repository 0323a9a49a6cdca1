using Tracker.Api.V1Alpha1;
using Tracker.Events.Querying;
using Tracker.Events.Storage;
using Tracker.Events.Validation;
using Tracker.Events.Tests.Support;
using Xunit;

namespace Tracker.Events.Tests.Querying;

public sealed class SearchFilterParserTests
{
    [Fact]
    public void Parse_EmptyRequest_NoFilter()
    {
        Assert.Equal("AND()", Parse(new SearchEventsRequest()));
    }

    [Fact]
    public void Parse_EveryFilter_CarriedOver()
    {
        var filter = Parse(new SearchEventsRequest
        {
            Source = "jenkins",
            Type = Api.V1Alpha1.Type.Incident,
            Priority = Priority.P1,
            Status = Status.Open,
            Service = "db",
            Environment = Api.V1Alpha1.Environment.Production,
            Impact = Impact.High,
            Owner = "ops",
            StartDate = "2024-01-01",
            EndDate = "2024-01-31T12:00:00Z",
        });

        Assert.Equal(
            FilterText.Print(new EventFilter
            {
                Source = "jenkins",
                Type = Api.V1Alpha1.Type.Incident,
                Priority = Priority.P1,
                Status = Status.Open,
                Service = "db",
                Environment = Api.V1Alpha1.Environment.Production,
                Impact = Impact.High,
                Owner = "ops",
                From = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
                To = new DateTimeOffset(2024, 1, 31, 12, 0, 0, TimeSpan.Zero),
            }.ToCriteria().Where),
            filter);
    }

    [Fact]
    public void Parse_DateOnlyEnd_CoversTheWholeDay()
    {
        var filter = Parse(new SearchEventsRequest { StartDate = "2024-01-01", EndDate = "2024-01-31" });

        Assert.Equal(Window(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 1, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_990)), filter);
    }

    [Fact]
    public void Parse_SameDayForBoth_CoversThatDay()
    {
        var filter = Parse(new SearchEventsRequest { StartDate = "2024-01-15", EndDate = "2024-01-15" });

        Assert.Equal(Window(new DateTimeOffset(2024, 1, 15, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 1, 16, 0, 0, 0, TimeSpan.Zero).AddTicks(-10)), filter);
    }

    [Fact]
    public void Parse_LastRepresentableDay_DoesNotOverflow()
    {
        var filter = Parse(new SearchEventsRequest { EndDate = "9999-12-31" });

        Assert.Equal(Window(null, DateTimeOffset.MaxValue), filter);
    }

    [Theory]
    [InlineData("2024/01/01", "", "start_date")]
    [InlineData("", "31-01-2024", "end_date")]
    [InlineData("2024-02-01", "2024-01-31", "start_date")]
    [InlineData("2024-01-15T10:00:00.000001Z", "2024-01-15T10:00:00Z", "start_date")]
    public void Parse_BadDateOrStartAfterEnd_ViolatesThatField(string start, string end, string field)
    {
        Assert.Equal([field], Violated(new SearchEventsRequest { StartDate = start, EndDate = end }));
    }

    [Fact]
    public void Parse_BothDatesBad_ViolatesBoth()
    {
        Assert.Equal(["start_date", "end_date"], Violated(new SearchEventsRequest { StartDate = "x", EndDate = "y" }));
    }

    [Fact]
    public void Parse_UndefinedEnumNumbers_ViolateEachField()
    {
        var request = new SearchEventsRequest
        {
            Type = (Api.V1Alpha1.Type)9,
            Priority = (Priority)9,
            Status = (Status)2,
            Environment = (Api.V1Alpha1.Environment)9,
            Impact = (Impact)9,
        };

        Assert.Equal(["type", "priority", "status", "environment", "impact"], Violated(request));
    }

    [Fact]
    public void Parse_OverlongTextFilters_ViolateEachField()
    {
        var text = new string('x', 129);

        Assert.Equal(["source", "service", "owner"], Violated(new SearchEventsRequest { Source = text, Service = text, Owner = text }));
    }

    /// <summary>The terms of a request, printed.</summary>
    private static string Parse(SearchEventsRequest request)
    {
        var violations = new Violations();
        var terms = SearchFilterParser.Parse(request, violations);
        Assert.False(violations.Any, string.Join(", ", violations.Items.Select(v => v.Field)));
        return FilterText.Print(new AllOf(terms));
    }

    private static string Window(DateTimeOffset? from, DateTimeOffset? to) =>
        FilterText.Print(new AllOf(SearchFilterParser.TimeWindow(from, to).ToList()));

    private static string[] Violated(SearchEventsRequest request)
    {
        var violations = new Violations();
        SearchFilterParser.Parse(request, violations);
        return violations.Items.Select(v => v.Field).ToArray();
    }
}
